"""The rollups read from their indexes alone: the month series and the year
states carry their values in the unique key (INCLUDE, PostgreSQL; ignored
elsewhere), and the ward-only index of each table is dropped, which the planner
preferred after an ANALYZE and which every write had to keep. Rebuilding the
keys takes a few seconds on the national data (1.3 million month rows)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0004_areas_report_any_level'),
        ('rollups', '0005_models_by_kind'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='wardmonth',
            name='wardmonth_one_row',
        ),
        migrations.RemoveConstraint(
            model_name='wardyearstate',
            name='wardyearstate_by_ward',
        ),
        migrations.AlterField(
            model_name='wardmonth',
            name='ward',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward'),
        ),
        migrations.AlterField(
            model_name='wardyear',
            name='ward',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward'),
        ),
        migrations.AlterField(
            model_name='wardyearstate',
            name='ward',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward'),
        ),
        migrations.AddConstraint(
            model_name='wardmonth',
            constraint=models.UniqueConstraint(fields=('ward', 'unit_kind', 'month'), include=('sessions', 'attendances'), name='wardmonth_one_row'),
        ),
        migrations.AddConstraint(
            model_name='wardyearstate',
            constraint=models.UniqueConstraint(fields=('ward', 'unit_kind', 'year'), include=('active_units_change', 'models_active_change', 'units_with_plan'), name='wardyearstate_by_ward'),
        ),
    ]
