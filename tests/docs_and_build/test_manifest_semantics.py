"""The manifests agree with the service they deploy: routes, port, user, settings and sizes.

A schema check cannot know that ``/readyz`` is a route of this app, that the image runs as uid
10001, or that gunicorn needs a writable ``/dev/shm``; these tests read the app, the Dockerfile
and gunicorn.conf.py to check that the manifests say the same.
"""

import re
import runpy

from tests.support.gunicorn import REPO_ROOT

#: Measured (docs/operations.md, Scale-out): a worker's resident memory with a full answer cache
#: (47 MiB after warm-up, up to 20 more for the cache), and the master's, in MiB.
WORKER_MIB, MASTER_MIB = 67, 39
MIB = {"Mi": 1, "Gi": 1024}


def env(container: dict) -> dict:
    return {item["name"]: item.get("value") for item in container["env"]}


def mib(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()
    return int(number) * MIB[unit]


def gunicorn_settings() -> dict:
    return runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))


def test_the_probes_ask_the_apps_own_health_routes_on_the_served_port(app, container):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    probes = {kind: container[kind]["httpGet"]
              for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"
    for probe in probes.values():
        assert probe["path"] in routes
        assert probe["port"] == "http"


def test_the_container_serves_on_the_port_it_declares_and_the_service_targets(
    objects, container
):
    (port,) = container["ports"]
    assert port["name"] == "http" and int(env(container)["PORT"]) == port["containerPort"]
    assert re.search(rf"^EXPOSE {port['containerPort']}$",
                     (REPO_ROOT / "Dockerfile").read_text(), re.MULTILINE)
    (service_port,) = objects["Service"]["spec"]["ports"]
    assert service_port["targetPort"] == "http"


def test_the_service_the_autoscaler_and_the_budget_all_select_the_deployments_pods(objects):
    deployment = objects["Deployment"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selectors = [deployment["spec"]["selector"]["matchLabels"],
                 objects["Service"]["spec"]["selector"],
                 objects["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]]
    for selector in selectors:
        assert selector.items() <= pod_labels.items()
    target = objects["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])


def test_the_pod_runs_as_the_images_non_root_user_with_nothing_it_does_not_need(
    objects, container
):
    uid = re.search(r"^USER (\d+):", (REPO_ROOT / "Dockerfile").read_text(), re.MULTILINE)[1]
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == int(uid) == 10001
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    context = container["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["capabilities"] == {"drop": ["ALL"]}


def test_gunicorns_heartbeat_and_metrics_dirs_are_writable_in_memory_volumes(objects, container):
    volumes = {volume["name"]: volume for volume in
               objects["Deployment"]["spec"]["template"]["spec"]["volumes"]}
    mounts = {mount["mountPath"]: volumes[mount["name"]] for mount in container["volumeMounts"]}
    worker_tmp_dir = gunicorn_settings()["worker_tmp_dir"]
    assert mounts[worker_tmp_dir]["emptyDir"]["medium"] == "Memory"
    metrics_dir = env(container)["PROMETHEUS_MULTIPROC_DIR"]
    assert any(metrics_dir.startswith(path + "/") for path in mounts)
    assert not any(mount.get("readOnly") for mount in container["volumeMounts"])


def test_resources_cover_the_measured_memory_of_the_workers_the_pod_starts(container):
    workers = int(env(container)["WEB_CONCURRENCY"])
    needed = workers * WORKER_MIB + MASTER_MIB
    resources = container["resources"]
    assert mib(resources["requests"]["memory"]) >= needed
    assert mib(resources["limits"]["memory"]) >= needed + WORKER_MIB  # a worker being replaced
    assert float(resources["limits"]["cpu"]) == workers  # a worker uses at most one core


def test_a_stopping_pod_gives_gunicorn_its_whole_graceful_timeout(objects, container):
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    grace = objects["Deployment"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace > pause + gunicorn_settings()["graceful_timeout"]


def test_at_least_two_replicas_always_and_the_autoscaler_follows_cpu(objects):
    hpa = objects["HorizontalPodAutoscaler"]["spec"]
    assert objects["Deployment"]["spec"]["replicas"] >= 2 and hpa["minReplicas"] >= 2
    assert hpa["maxReplicas"] > hpa["minReplicas"]
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["type"] == "Utilization"
    assert objects["PodDisruptionBudget"]["spec"]["minAvailable"] < hpa["minReplicas"]
