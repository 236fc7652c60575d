"""Every manifest is a valid Kubernetes object, by the API's own schemas, offline.

kubernetes-validate bundles the OpenAPI schemas of every Kubernetes release, so no cluster and
no network is needed. Strict mode refuses any field the schema does not define, so a misspelt
field (``livenessprobe``), which a cluster would silently drop, fails here. The manifests are
checked against the oldest release still in wide use that has every field they use, and
against the newest release bundled.
"""

import copy

import kubernetes_validate
import pytest
import yaml

from tests.support.manifests import KUSTOMIZATION, MANIFESTS, documents, manifest_files

#: The oldest and the newest Kubernetes release the manifests must be valid for.
RELEASES = ("1.29.0", f"{kubernetes_validate.latest_version()}.0")
EXPECTED = {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize(("name", "document"), documents(),
                         ids=[f"{name}:{doc['kind']}" for name, doc in documents()])
def test_each_manifest_is_valid_for_the_kubernetes_release(name, document, release):
    kubernetes_validate.validate(document, release, strict=True)


def test_the_manifests_hold_a_deployment_service_autoscaler_and_disruption_budget():
    assert {document["kind"] for _, document in documents()} == EXPECTED


def test_the_kustomization_lists_every_manifest_so_apply_k_deploys_them_all():
    kustomization = yaml.safe_load((MANIFESTS / KUSTOMIZATION).read_text(encoding="utf-8"))
    assert sorted(kustomization["resources"]) == sorted(p.name for p in manifest_files())


def test_the_check_refuses_a_misspelt_field_and_a_wrong_type(objects):
    misspelt = copy.deepcopy(objects["Deployment"])
    container = misspelt["spec"]["template"]["spec"]["containers"][0]
    container["livenessprobe"] = container.pop("livenessProbe")
    wrong_type = copy.deepcopy(objects["Service"])
    wrong_type["spec"]["ports"][0]["port"] = "eighty"

    for broken in (misspelt, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, RELEASES[-1], strict=True)
