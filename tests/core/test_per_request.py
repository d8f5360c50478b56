from django.test import RequestFactory

from coproduce.core.per_request import once_per_request


def test_it_works_a_fact_out_once_per_request_and_key():
    asked: list[str] = []

    def work_out(answer: str):
        def go() -> str:
            asked.append(answer)
            return answer

        return go

    first, second = RequestFactory().get("/"), RequestFactory().get("/")
    assert once_per_request(first, "member", work_out("yes")) == "yes"
    assert once_per_request(first, "member", work_out("no")) == "yes"
    assert once_per_request(first, "evaluator", work_out("eva")) == "eva"
    assert once_per_request(second, "member", work_out("no")) == "no"
    assert asked == ["yes", "eva", "no"]


def test_it_keeps_a_none_answer_too():
    asked: list[None] = []
    request = RequestFactory().get("/")
    for _ in range(3):
        assert once_per_request(request, "member", lambda: asked.append(None)) is None
    assert asked == [None]
