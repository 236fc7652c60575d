"""The fixed vocabularies of API contract v1 (version 1.1).

These names are the contract: health apps, intake forms and the knowledge base all use them,
so they never change without a new API version; 1.1 only added names (marked below). The
request schema and the rules validator both read them from here, so a rule can never reference
a value a client cannot send.
"""

LOCATIONS = ("calf", "foot", "toes", "thigh")
TIMES_OF_DAY = ("night", "day", "both")
FREQUENCIES = ("first_time", "rare", "monthly", "weekly", "daily")
WARNING_SIGNS = ("tension", "numbness", "pulling_pain")
TRIGGERS = (
    "prolonged_muscle_tension", "static_position", "cold_exposure", "sudden_load_increase",
    "poor_fitness", "seasonal_deficiency", "hot_stuffy_bedroom", "overload_day_before",
    "toe_overload", "high_heels", "hot_weather",
    "toxic_exposure",  # 1.1
)
CONDITIONS = (
    "dehydration", "liver_cirrhosis", "varicose_veins", "chronic_renal_failure", "infection",
    "raynaud", "cerebrovascular_disorder", "epilepsy", "osteochondrosis", "knee_injury",
    "bone_fracture", "spastic_paralysis", "heavy_bleeding", "endocrine_disorder",
    "obliterating_endarteritis", "diabetes", "flat_feet", "carbohydrate_metabolism_disorder",
    "contaminated_wound",  # 1.1
)
TREATMENTS = (
    "diuretics", "hemodialysis", "plasma_transfusion", "rehydration_therapy",
    "statins", "new_medicine",  # 1.1
)
SYMPTOMS = (
    "swelling", "redness", "warmth", "numbness", "weakness", "severe_fatigue",
    # 1.1: findings published guidance treats as urgent or as an emergency
    "dark_urine", "pain_when_walking", "pale_cold_leg", "muscle_wasting", "twitching", "fever",
    "chest_pain", "breathlessness",
)
SEXES = ("female", "male", "other", "unknown")
SIDES = ("one_leg", "both_legs")  # 1.1

#: Array fields of the request and their allowed values.
ARRAY_FIELDS = {
    "locations": LOCATIONS,
    "warning_signs": WARNING_SIGNS,
    "triggers": TRIGGERS,
    "conditions": CONDITIONS,
    "treatments": TREATMENTS,
    "symptoms": SYMPTOMS,
}
#: Single-valued enum fields of the request.
ENUM_FIELDS = {"time_of_day": TIMES_OF_DAY, "frequency": FREQUENCIES, "sex": SEXES,
               "side": SIDES}
BOOLEAN_FIELDS = ("active_now", "smoker", "pregnant")
#: Numeric fields and their inclusive bounds (duration_minutes excludes 0).
NUMBER_FIELDS = {"duration_minutes": (0, 240), "pregnancy_trimester": (1, 3), "age": (0, 120)}

REQUEST_FIELDS = (
    "locations", "side", "time_of_day", "frequency", "duration_minutes", "active_now",
    "warning_signs", "triggers", "conditions", "treatments", "symptoms", "smoker", "pregnant",
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
