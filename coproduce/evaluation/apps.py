from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
