# Wards become versions of areas (issue #13): a province of their own, so a ward
# can sit directly under it, and the kind in the unique name.

import django.db.models.deletion
from django.db import migrations, models


def province_of_each_ward(apps, schema_editor):
    """Every ward so far sits in a district: its province is the district's."""
    Ward = apps.get_model("areas", "Ward")
    District = apps.get_model("areas", "District")
    for district_id, province_id in District.objects.values_list("pk", "province_id"):
        Ward.objects.filter(district_id=district_id).update(province_id=province_id)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0002_closed_years'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ward',
            name='ward_unique_name_per_district',
        ),
        migrations.AddField(
            model_name='historicalward',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.province', verbose_name='Tỉnh'),
        ),
        migrations.AddField(
            model_name='ward',
            name='province',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='areas.province', verbose_name='Tỉnh'),
        ),
        migrations.RunPython(province_of_each_ward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='ward',
            name='province',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='areas.province', verbose_name='Tỉnh'),
        ),
        migrations.AlterField(
            model_name='ward',
            name='district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='areas.district', verbose_name='Quận, huyện'),
        ),
        migrations.AddConstraint(
            model_name='ward',
            constraint=models.UniqueConstraint(fields=('district', 'name', 'kind'), name='ward_unique_name_per_district'),
        ),
        migrations.AddConstraint(
            model_name='ward',
            constraint=models.UniqueConstraint(condition=models.Q(('district__isnull', True)), fields=('province', 'name', 'kind'), name='ward_unique_name_per_province'),
        ),
    ]
