# The blind index keeps its first 128 bits (32 hex characters): the same HMAC, truncated.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workforce', '0002_person_year_index'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE workforce_staffperson SET id_index = SUBSTR(id_index, 1, 32)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='staffperson',
            name='id_index',
            field=models.CharField(editable=False, max_length=32, unique=True, verbose_name='证件号索引'),
        ),
    ]
