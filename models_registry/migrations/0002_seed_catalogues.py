from django.db import migrations

# Exactly the labels the ward police use in their reports (issue #3).
MODEL_KINDS = [
    "Học sinh, sinh viên tự quản",
    "Cổng trường an toàn về ANTT và TTATGT",
    "Cụm liên kết tự quản về ANTT",
    "Tổ tự quản về ANTT",
    "Khu dân cư tự quản",
    "Camera giám sát an ninh",
    "Khác",
]
SELFS = ["tự quản", "tự phòng", "tự bảo vệ", "tự hòa giải", "tự phát hiện, tố giác tội phạm"]


def seed(apps, schema_editor):
    ModelKind = apps.get_model("models_registry", "ModelKind")
    SelfTag = apps.get_model("models_registry", "SelfTag")
    for position, label in enumerate(MODEL_KINDS, start=1):
        ModelKind.objects.get_or_create(label=label, defaults={"position": position})
    for position, label in enumerate(SELFS, start=1):
        SelfTag.objects.get_or_create(label=label, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
