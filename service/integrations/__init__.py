"""Standard doors into the same advice: CDS Hooks 2.0 for EHRs, a FHIR R4 intake questionnaire.

Nothing here decides anything medical: every request ends in the ``load_profile`` validation and
the ``advisor.advise`` of ``POST /v1/advice``; these modules only translate the standards' shapes.
"""

from flask import Flask


def register(app: Flask) -> None:
    """Register the CDS Hooks and FHIR routes on ``app`` (``service.api.init_app`` calls this)."""
    # Imported here, not above: both modules use service.api, whose init_app calls this.
    from service.integrations import cds, fhir

    app.register_blueprint(cds.bp)
    app.register_blueprint(fhir.bp)
