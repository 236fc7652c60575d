"""The fixed vocabularies of API contract v1: every value, its words for people, and the
contract version that added it.

These names are the contract: health apps, intake forms and the knowledge base all use them, so
they never change without a new major version; a minor version only adds (see ``ADDED_IN``).
Everything that states the contract reads them from here: the request schema, the rules' checks
(a rule can never reference a value a client cannot send), the FHIR Questionnaire and its
CodeSystems (``LABELS`` are their displays), the intake page (built from the Questionnaire), and,
through tools/contract_docs.py, the enums of openapi.yaml and the values table of docs/api.md.
Adding a value means adding it here with its label and version, to the rules, and running
``make contract-docs``.
"""

#: Each enum and array field's values, in order, with the words a person reads for each.
LABELS: dict[str, dict[str, str]] = {
    "locations": {"calf": "Calf", "foot": "Foot", "toes": "Toes", "thigh": "Thigh"},
    "side": {"one_leg": "One leg", "both_legs": "Both legs"},
    "time_of_day": {"night": "Night", "day": "Day", "both": "Both day and night"},
    "frequency": {
        "first_time": "For the first time", "rare": "Rarely (a few times a year)",
        "monthly": "Monthly (1 to 3 times a month)", "weekly": "Weekly (1 to 4 times a week)",
        "daily": "Daily or almost daily (5 or more times a week)",
    },
    "warning_signs": {
        "tension": "Tension in the muscle", "numbness": "Numbness",
        "pulling_pain": "A growing, pulling pain",
    },
    "triggers": {
        "prolonged_muscle_tension": "Keeping a muscle tense for a long time",
        "static_position": "Staying in one position for a long time",
        "cold_exposure": "Cold air or cold water",
        "sudden_load_increase": "A sudden increase in exercise or load",
        "poor_fitness": "Being out of condition",
        "seasonal_deficiency": "A seasonal lack of vitamins or minerals",
        "hot_stuffy_bedroom": "A hot, stuffy bedroom",
        "overload_day_before": "Overworking the legs the day before",
        "toe_overload": "A heavy load on the toes",
        "high_heels": "Wearing high heels",
        "hot_weather": "Hot weather",
        "toxic_exposure": "Contact with a poison such as lead or mercury",
    },
    "conditions": {
        "dehydration": "Dehydration (not drinking enough, or losing fluid)",
        "liver_cirrhosis": "Liver disease (cirrhosis)",
        "varicose_veins": "Varicose veins",
        "chronic_renal_failure": "Long-term kidney disease (chronic kidney failure)",
        "infection": "An infection, such as flu",
        "raynaud": "Fingers or toes that go white or blue in the cold (Raynaud's)",
        "cerebrovascular_disorder": "A stroke or other blood-vessel disease of the brain",
        "epilepsy": "Epilepsy",
        "osteochondrosis": "Wear of the spine or joints (osteochondrosis)",
        "knee_injury": "A knee injury",
        "bone_fracture": "A broken bone",
        "spastic_paralysis": "Stiff, weak muscles after brain or spinal cord damage "
                             "(spastic paralysis)",
        "heavy_bleeding": "Heavy blood loss, such as heavy periods",
        "endocrine_disorder": "A hormone (gland) disorder, such as thyroid disease",
        "obliterating_endarteritis": "Narrowed leg arteries (peripheral arterial disease)",
        "diabetes": "Diabetes",
        "flat_feet": "Flat feet",
        "carbohydrate_metabolism_disorder": "Trouble handling sugar, such as prediabetes",
        "contaminated_wound": "A recent wound with soil or dirt in it",
    },
    "treatments": {
        "diuretics": "Water tablets (diuretics)",
        "hemodialysis": "Kidney dialysis",
        "plasma_transfusion": "A plasma transfusion",
        "rehydration_therapy": "Rehydration treatment (a drip or rehydration drinks)",
        "statins": "A statin (cholesterol-lowering medicine)",
        "new_medicine": "A medicine started or changed in the last few weeks",
        "ace_inhibitors_or_arbs": "A blood-pressure medicine such as ramipril or losartan "
                                  "(an ACE inhibitor or ARB)",
    },
    "symptoms": {
        "swelling": "Swelling", "redness": "Redness", "warmth": "Warmth",
        "numbness": "Numbness", "weakness": "Weakness", "severe_fatigue": "Severe tiredness",
        "dark_urine": "Dark, cola-coloured urine",
        "pain_when_walking": "Calf or leg pain on walking that eases with rest",
        "pale_cold_leg": "A leg that is suddenly pale, blue or cold",
        "muscle_wasting": "Leg muscles getting thinner", "twitching": "Muscle twitching",
        "fever": "Fever", "chest_pain": "Chest pain", "breathlessness": "Breathlessness",
        "limp_or_cannot_bear_weight": "A limp, or cannot stand or walk on the leg",
        "jaw_or_neck_stiffness": "A stiff jaw or neck, or trouble opening the mouth or swallowing",
        "swollen_face_or_hands": "Swelling of the face or hands",
        "headache_or_vision_changes": "A bad headache, or blurred vision or flashing lights",
    },
    "risk_factors": {
        "recent_surgery": "An operation in the last 12 weeks",
        "immobilised": "Bed rest, a leg in a cast or splint, or a journey of 4 hours or more "
                       "in the last 4 weeks",
        "hormonal_contraception_or_hrt": "The combined pill, a contraceptive patch or ring, or "
                                         "hormone replacement therapy (HRT)",
        "cancer": "Cancer now, or cancer treatment",
        "previous_clot": "A blood clot before (deep vein thrombosis or pulmonary embolism)",
        "recent_childbirth": "Gave birth in the last 6 weeks",
    },
    # FHIR's administrative-gender: its codes and displays are these (service/interop/fhir).
    "sex": {"female": "Female", "male": "Male", "other": "Other", "unknown": "Unknown"},
}
#: What each minor version added: whole fields, or values of a field. The rest is 1.0's.
ADDED_IN: dict[str, dict[str, tuple[str, ...]]] = {
    "1.1": {
        "side": ("one_leg", "both_legs"),
        "triggers": ("toxic_exposure",),
        "conditions": ("contaminated_wound",),
        "treatments": ("statins", "new_medicine"),
        "symptoms": ("dark_urine", "pain_when_walking", "pale_cold_leg", "muscle_wasting",
                     "twitching", "fever", "chest_pain", "breathlessness"),
    },
    "1.2": {
        "risk_factors": ("recent_surgery", "immobilised", "hormonal_contraception_or_hrt",
                         "cancer", "previous_clot", "recent_childbirth"),
        "treatments": ("ace_inhibitors_or_arbs",),
        "symptoms": ("limp_or_cannot_bear_weight", "jaw_or_neck_stiffness",
                     "swollen_face_or_hands", "headache_or_vision_changes"),
    },
}

LOCATIONS = tuple(LABELS["locations"])
TIMES_OF_DAY = tuple(LABELS["time_of_day"])
FREQUENCIES = tuple(LABELS["frequency"])
WARNING_SIGNS = tuple(LABELS["warning_signs"])
TRIGGERS = tuple(LABELS["triggers"])
CONDITIONS = tuple(LABELS["conditions"])
TREATMENTS = tuple(LABELS["treatments"])
SYMPTOMS = tuple(LABELS["symptoms"])
SEXES = tuple(LABELS["sex"])
SIDES = tuple(LABELS["side"])
RISK_FACTORS = tuple(LABELS["risk_factors"])

#: Array fields of the request and their allowed values.
ARRAY_FIELDS = {
    "locations": LOCATIONS,
    "warning_signs": WARNING_SIGNS,
    "triggers": TRIGGERS,
    "conditions": CONDITIONS,
    "treatments": TREATMENTS,
    "symptoms": SYMPTOMS,
    "risk_factors": RISK_FACTORS,
}
#: Single-valued enum fields of the request.
ENUM_FIELDS = {"time_of_day": TIMES_OF_DAY, "frequency": FREQUENCIES, "sex": SEXES,
               "side": SIDES}
BOOLEAN_FIELDS = ("active_now", "smoker", "pregnant")
#: Numeric fields and their inclusive bounds (duration_minutes excludes 0).
NUMBER_FIELDS = {"duration_minutes": (0, 240), "pregnancy_trimester": (1, 3), "age": (0, 120)}

REQUEST_FIELDS = (
    "locations", "side", "time_of_day", "frequency", "duration_minutes", "active_now",
    "warning_signs", "triggers", "conditions", "treatments", "symptoms", "risk_factors",
    "smoker", "pregnant",
    "pregnancy_trimester", "age", "sex",
)

#: Always present in a valid request, so never the subject of a follow-up question.
REQUIRED_FIELDS = ("locations",)

URGENCIES = ("self_care", "routine", "soon", "urgent")  # least to most urgent
PHASES = ("during_cramp", "at_onset", "night")  # the order a person meets them
CAUSE_GROUPS = {  # id -> dangerous, fixed by the contract
    "muscle_overload": False,
    "static_posture": False,
    "cold_exposure": False,
    "micronutrient_deficiency": False,
    "lactic_acid_accumulation": False,
    "water_electrolyte_imbalance": True,
    "impaired_circulation": True,
    "neurological_disorder": True,
    "endocrine_metabolic_disorder": True,
    "musculoskeletal_disorder": True,
    "infection_intoxication": True,
}
SPECIALISTS = (
    "therapist", "cardiologist", "neurologist", "phlebologist", "endocrinologist",
    "vascular_surgeon",
)
TESTS = ("general_blood_test", "dopplerography")


def label(field: str, value: str) -> str:
    """A value's words for people."""
    return LABELS[field][value]


def added_in(field: str, value: str) -> str:
    """The contract version that added ``value`` of ``field``: ``1.0`` unless a later one did."""
    return next((version for version, added in ADDED_IN.items()
                 if value in added.get(field, ())), "1.0")
