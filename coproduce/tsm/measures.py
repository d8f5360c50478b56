"""The 22 Tenant Satisfaction Measures' codes and official short names (Regulator of Social
Housing, from April 2023), for every app that names them."""

from __future__ import annotations

TSM_MEASURES: dict[str, str] = {
    "TP01": "Overall satisfaction",
    "TP02": "Satisfaction with repairs",
    "TP03": "Satisfaction with time taken to complete most recent repair",
    "TP04": "Satisfaction that the home is well maintained",
    "TP05": "Satisfaction that the home is safe",
    "TP06": "Satisfaction that the landlord listens to tenant views and acts upon them",
    "TP07": (
        "Satisfaction that the landlord keeps tenants informed about things that matter to them"
    ),
    "TP08": "Agreement that the landlord treats tenants fairly and with respect",
    "TP09": "Satisfaction with the landlord's approach to handling complaints",
    "TP10": "Satisfaction that the landlord keeps communal areas clean and well maintained",
    "TP11": "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
    "TP12": "Satisfaction with the landlord's approach to handling anti-social behaviour",
    "RP01": "Homes that do not meet the Decent Homes Standard",
    "RP02": "Repairs completed within target timescale",
    "BS01": "Gas safety checks",
    "BS02": "Fire safety checks",
    "BS03": "Asbestos safety checks",
    "BS04": "Water safety checks",
    "BS05": "Lift safety checks",
    "CH01": "Complaints relative to the size of the landlord",
    "CH02": "Complaints responded to within Complaint Handling Code timescales",
    "NM01": "Anti-social behaviour cases relative to the size of the landlord",
}

PERCEPTION_CODES = tuple(f"TP{number:02d}" for number in range(1, 13))
