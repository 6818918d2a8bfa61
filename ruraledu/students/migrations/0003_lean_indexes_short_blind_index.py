# Fewer indexes on enrolments (each costs every imported row) and the 128-bit blind index.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgunits', '0001_initial'),
        ('students', '0002_initial'),
        ('workforce', '0003_short_blind_index'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE students_studentperson SET id_index = SUBSTR(id_index, 1, 32)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='campus',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='campus_enrolments', to='orgunits.school', verbose_name='校区'),
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='mentor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mentees', to='workforce.staffperson', verbose_name='成长导师'),
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='students.studentperson', verbose_name='学生'),
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='学年'),
        ),
        migrations.AlterField(
            model_name='studentperson',
            name='id_index',
            field=models.CharField(editable=False, max_length=32, unique=True, verbose_name='证件号索引'),
        ),
        migrations.AlterField(
            model_name='studentperson',
            name='village',
            field=models.ForeignKey(blank=True, db_index=False, limit_choices_to={'kind': 'village'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resident_students', to='orgunits.orgunit', verbose_name='户籍/居住村居'),
        ),
        migrations.AddIndex(
            model_name='enrolment',
            index=models.Index(condition=models.Q(('campus__isnull', False)), fields=['campus'], name='enrolment_campus_set'),
        ),
        migrations.AddIndex(
            model_name='enrolment',
            index=models.Index(condition=models.Q(('mentor__isnull', False)), fields=['mentor'], name='enrolment_mentor_set'),
        ),
        migrations.AddIndex(
            model_name='studentperson',
            index=models.Index(condition=models.Q(('village__isnull', False)), fields=['village'], name='person_village_set'),
        ),
    ]
