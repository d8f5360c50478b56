from django.db import migrations


def add_default_guide(apps, schema_editor):
    # Questions already in the database are left alone: guides are edited in the admin.
    from coproduce.stories.guides import DEFAULT_GUIDE

    guide_model = apps.get_model("stories", "InterviewGuide")
    question_model = apps.get_model("stories", "GuideQuestion")
    guide, _ = guide_model.objects.get_or_create(
        slug=DEFAULT_GUIDE.slug,
        defaults={"name": DEFAULT_GUIDE.name, "description": DEFAULT_GUIDE.description},
    )
    for q in DEFAULT_GUIDE.questions:
        question_model.objects.get_or_create(
            guide=guide,
            number=q.number,
            defaults={"label": q.label, "text": q.text, "cues_text": "\n".join(q.cues)},
        )


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(add_default_guide, migrations.RunPython.noop)]
