"""Who sees and changes what: the district's evaluation is read by district-wide roles and
changed by the bureau only; a school's diagnosis is read within the school's scope; everything
else is a 404 and changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ruraledu.evaluation.choices import Framework
from ruraledu.evaluation.models import AnnualFigure, ExpertReview, ItemEvidence
from ruraledu.evaluation.services import evidence_add
from ruraledu.evaluation.survey import survey_ensure
from ruraledu.indicators.models import IndicatorValue

from .conftest import PDF, YEAR, item


def _page(framework=Framework.YZJH):
    return reverse("evaluation:evaluation_detail", args=["D", framework, YEAR])


def _review_url(code="G01"):
    return reverse("evaluation:item_review", args=["D", Framework.YZJH, YEAR, code])


def test_the_evaluation_page_is_a_404_outside_the_district_roles(
    client, yzjh, town_officer, school_clerk
):
    for user in (town_officer, school_clerk):
        client.force_login(user)
        assert client.get(_page()).status_code == 404
        assert client.get(reverse("evaluation:evaluation_index")).status_code == 404
    client.logout()
    assert client.get(_page()).status_code == 302  # anonymous: to the login page


def test_the_read_only_leader_sees_the_page_without_forms_and_cannot_review(
    client, yzjh, district_leader
):
    # given
    client.force_login(district_leader)
    # when
    page = client.get(_page())
    item_page = client.get(
        reverse("evaluation:item_detail", args=["D", Framework.YZJH, YEAR, "G01"])
    )
    posted = client.post(_review_url(), {"verdict": "pass", "comment": "好"})
    # then
    assert page.status_code == 200
    assert "尚不能认定" in page.content.decode()
    assert "提交评审意见" not in item_page.content.decode()
    assert posted.status_code == 404
    assert not ExpertReview.objects.exists()


def test_the_bureau_reviews_and_a_changed_verdict_keeps_its_history(client, yzjh, district_admin):
    # given
    client.force_login(district_admin)
    # when
    client.post(_review_url(), {"verdict": "fail", "comment": "规划未经审批。"})
    client.post(_review_url(), {"verdict": "pass", "comment": "已补充审批文件。"})
    # then
    reviews = list(ExpertReview.objects.filter(item__code="G01").order_by("pk"))
    assert [(r.verdict, r.comment) for r in reviews] == [
        ("fail", "规划未经审批。"),
        ("pass", "已补充审批文件。"),
    ]
    page = client.get(_page()).content.decode()
    assert 'data-testid="verdict-G01"><span class="badge status-achieved">达标' in page
    detail = client.get(
        reverse("evaluation:item_detail", args=["D", Framework.YZJH, YEAR, "G01"])
    ).content.decode()
    assert "已被后来的结论取代" in detail


def test_a_figure_without_its_source_document_is_refused(client, yzjh, district_admin):
    client.force_login(district_admin)
    url = reverse("evaluation:item_figure", args=["D", Framework.YZJH, YEAR, "G13"])
    response = client.post(url, {"value": "55"}, follow=True)
    assert "来源文件" in response.content.decode()
    assert not AnnualFigure.objects.exists()
    # with the document it is stored, and the item passes
    client.post(url, {"value": "55", "source": SimpleUploadedFile("名额.pdf", PDF)})
    figure = AnnualFigure.objects.get()
    assert (figure.value, figure.source.original_name) == (55.0, "名额.pdf")
    page = client.get(_page()).content.decode()
    assert 'data-testid="verdict-G13"><span class="badge status-achieved">' in page


def test_a_district_file_is_a_404_for_a_town_and_a_school_file_is_served_in_scope(
    client, yzjh, district_admin, town_officer, outsider, school_a
):
    # given a district document and one of school A
    g01 = item(Framework.YZJH, "G01")
    district_file = evidence_add(
        evaluation=yzjh, item=g01, actor=district_admin, data=PDF, filename="规划.pdf"
    )
    school_file = evidence_add(
        evaluation=yzjh,
        item=item(Framework.YZJH, "Q03"),
        actor=town_officer,
        data=PDF,
        filename="章程.pdf",
        school=school_a.org_unit,
    )

    def get(pk):
        return client.get(reverse("evaluation:evidence_download", args=[pk])).status_code

    # then
    client.force_login(town_officer)
    assert (get(district_file.pk), get(school_file.pk)) == (404, 200)
    client.force_login(outsider)
    assert (get(district_file.pk), get(school_file.pk)) == (404, 404)
    assert ItemEvidence.objects.count() == 2


def test_a_school_diagnosis_lists_what_the_school_lacks_in_its_scope_only(
    client, yzjh, school_a, school_clerk, town_officer, outsider
):
    # given the engine's stored marks for school A
    now = timezone.now()
    unit = school_a.org_unit
    IndicatorValue.objects.create(
        code="yzjh_r5",
        unit=unit,
        year=YEAR,
        value=6.5,
        computed_at=now,
        details={"threshold": 7.5, "mark": "partial"},
    )
    IndicatorValue.objects.create(
        code="yzjh_r1",
        unit=unit,
        year=YEAR,
        value=5.0,
        computed_at=now,
        details={"threshold": 4.2, "mark": "pass"},
    )
    IndicatorValue.objects.create(
        code="evaluation_school_size_rate",
        unit=unit,
        year=YEAR,
        value=0.0,
        numerator=0,
        denominator=1,
        computed_at=now,
        details={"students": 2100, "limit": 2000, "mark": "fail"},
    )
    url = reverse("evaluation:school_diagnosis", args=[unit.code])
    # then
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(school_clerk)
    page = client.get(url).content.decode()
    assert "尚未达到：<strong>生均体育运动场馆面积、学校规模</strong>" in page
    client.force_login(town_officer)
    listing = client.get(reverse("evaluation:unit_diagnosis")).content.decode()
    assert "生均体育运动场馆面积、学校规模" in listing
    assert "还差 <strong>1</strong> 所学校的生均体育运动场馆面积" in listing


def test_a_school_files_its_own_evidence_and_a_school_outside_cannot(
    client, frameworks, district, school_a, school_clerk, outsider
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    now = timezone.now()
    IndicatorValue.objects.create(
        code="yzjh_r1",
        unit=school_a.org_unit,
        year=YEAR,
        value=5.0,
        computed_at=now,
        details={"threshold": 4.2, "mark": "pass"},
    )
    q07 = item(Framework.YZJH, "Q07")
    url = reverse("evaluation:school_diagnosis", args=[school_a.org_unit.code])
    data = {"year": str(YEAR), "item": str(q07.pk)}
    client.force_login(outsider)
    assert (
        client.post(url, {**data, "file": SimpleUploadedFile("课表.pdf", PDF)}).status_code == 404
    )
    assert not ItemEvidence.objects.exists()
    client.force_login(school_clerk)
    # a file refused starts no evaluation either; the page comes back with the reason and
    # the item as chosen
    refused = client.post(url, {**data, "file": SimpleUploadedFile("课表.pdf", b"not a pdf")})
    from ruraledu.evaluation.models import Evaluation

    assert not Evaluation.objects.exists() and not ItemEvidence.objects.exists()
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-testid="upload-error"' in page and "未保存：" in page
    assert f'<option value="{q07.pk}" selected>' in page
    # no file, or an item that is not one, is told on the page too
    for missing in (data, {**data, "item": "x"}):
        again = client.post(url, missing)
        assert again.status_code == 400 and "请选择学年、指标和文件。" in again.content.decode()
    assert not Evaluation.objects.exists()
    client.post(url, {**data, "file": SimpleUploadedFile("课表.pdf", PDF)})
    stored = ItemEvidence.objects.get()
    assert (stored.item.code, stored.school_id, stored.evaluation.year) == (
        "Q07",
        school_a.pk,
        YEAR,
    )
    assert "课表.pdf" in client.get(url).content.decode()


def _at(name, *rest):
    return reverse(f"evaluation:{name}", args=["D", Framework.YZJH, YEAR, *rest])


def test_reading_an_evaluation_nobody_started_stores_nothing(
    client, frameworks, district, district_leader, district_admin
):
    from ruraledu.evaluation.models import Evaluation, Survey

    # a read-only role reads the sheet and an item, stored or not; no survey is set up for it
    client.force_login(district_leader)
    page = client.get(_page())
    assert page.status_code == 200
    assert _at("survey_manage") not in page.content.decode()  # no link to a 404
    assert client.get(_at("item_detail", "G01")).status_code == 200
    assert client.get(_at("survey_manage")).status_code == 404
    assert client.get(_at("survey_qr") + "?group=parent").status_code == 404
    # nor can it start the evaluation by acting on it
    assert client.post(_review_url(), {"verdict": "pass", "comment": "好"}).status_code == 404
    assert not Evaluation.objects.exists() and not Survey.objects.exists()
    # the bureau reads the same pages without storing anything either
    client.force_login(district_admin)
    assert _at("survey_manage") in client.get(_page()).content.decode()
    assert client.get(_at("item_detail", "G01")).status_code == 200
    assert not Evaluation.objects.exists()
    # its first write stores the evaluation, with the write
    client.post(_review_url(), {"verdict": "fail", "comment": "规划未经审批。"})
    evaluation = Evaluation.objects.get()
    assert (evaluation.unit, evaluation.framework, evaluation.year) == (
        district,
        Framework.YZJH,
        YEAR,
    )
    assert evaluation.reviews.get().comment == "规划未经审批。"
    # opening the survey page sets its survey up, and the leader then sees it
    assert client.get(_at("survey_manage")).status_code == 200
    assert Survey.objects.get().evaluation == evaluation
    client.force_login(district_leader)
    assert client.get(_at("survey_manage")).status_code == 200
    assert _at("survey_manage") in client.get(_page()).content.decode()
    assert Evaluation.objects.count() == 1 and Survey.objects.count() == 1


def test_a_refused_write_stores_no_evaluation_and_nobody_else_sets_up_its_survey(
    client, frameworks, district, district_leader, district_admin
):
    from ruraledu.evaluation.models import Evaluation, Survey

    # the bureau's writes refused (an item that does not exist, an empty comment) store nothing
    client.force_login(district_admin)
    assert client.post(_review_url("NOPE"), {"verdict": "pass", "comment": "好"}).status_code == 404
    assert client.post(_review_url(), {"verdict": "pass", "comment": ""}).status_code == 400
    assert not Evaluation.objects.exists()
    # a refusal of the service itself (a measured item is not reviewed) rolls it back too
    measured = {"verdict": "pass", "comment": "好"}
    assert client.post(_review_url("R0"), measured).status_code == 400
    assert not Evaluation.objects.exists()
    # a framework's threshold is not this evaluation's write
    threshold = {"threshold": "50", "provisional": ""}
    assert client.post(_at("item_threshold", "G13"), threshold).status_code == 302
    assert not Evaluation.objects.exists()
    # once started, a read-only role's posts to its survey set nothing up
    client.post(_review_url(), {"verdict": "fail", "comment": "规划未经审批。"})
    assert Evaluation.objects.count() == 1
    client.force_login(district_leader)
    for name, data in (("survey_settings", {"min_sample": "30"}), ("survey_codes", {"count": "5"})):
        assert client.post(_at(name), data).status_code == 404
    assert not Survey.objects.exists()


def test_an_invalid_survey_post_sets_nothing_up_and_says_why(
    client, frameworks, district, district_admin, district_leader
):
    from ruraledu.audit.models import AuditEvent
    from ruraledu.evaluation.models import Evaluation, Survey, SurveyGroup

    # given an evaluation nobody has started
    client.force_login(district_admin)
    audited = AuditEvent.objects.count()
    # when the bureau posts a settings form that is invalid
    response = client.post(_at("survey_settings"), {"min_sample": "0", "is_open": "on"})
    # then the survey page comes back with the form as typed and the error on its field, and
    # nothing is set up: the answer links of a survey not set up are not offered
    body = response.content.decode()
    assert response.status_code == 400
    assert 'name="min_sample" id="s_min" class="form-control is-invalid" value="0"' in body
    assert 'id="s_min_error" role="alert">确保该值大于或等于1。' in body
    assert 'id="s_open" class="form-check-input" checked' in body
    assert "保存设置后即生成各调查对象的作答链接和二维码" in body and "问卷二维码" not in body
    assert not Evaluation.objects.exists()
    assert not Survey.objects.exists() and not SurveyGroup.objects.exists()
    # and a codes form or an import that is invalid comes back the same way, its error on
    # its field
    posts = (
        ("survey_codes", {"count": "0"}, 'id="c_count_error" role="alert">确保该值大于或等于1。'),
        ("survey_import", {}, 'id="imp_file_error" role="alert">请选择答卷文件。'),
    )
    for name, data, said in posts:
        response = client.post(_at(name), data)
        body = response.content.decode()
        assert response.status_code == 400 and said in body
        assert "保存设置后即生成各调查对象的作答链接和二维码" in body and "问卷二维码" not in body
        assert not Evaluation.objects.exists()
        assert not Survey.objects.exists() and not SurveyGroup.objects.exists()
    assert AuditEvent.objects.count() == audited
    # a read-only role's invalid post is the 404 of a survey not set up
    client.force_login(district_leader)
    for name, data in (
        ("survey_settings", {"min_sample": "0"}),
        ("survey_codes", {"count": "0"}),
        ("survey_import", {}),
    ):
        assert client.post(_at(name), data).status_code == 404
    # and a valid post sets the survey up with its settings
    client.force_login(district_admin)
    client.post(_at("survey_settings"), {"min_sample": "40", "is_open": "on"})
    stored = Survey.objects.get()
    assert (stored.min_sample, stored.is_open, stored.groups.count()) == (40, True, 6)


def test_refused_survey_settings_come_back_as_typed_and_change_nothing(
    client, yzjh, district_admin
):
    from ruraledu.audit.models import AuditEvent
    from ruraledu.evaluation.models import Survey
    from ruraledu.evaluation.services import evaluation_close

    # given a survey set up with its defaults
    s = survey_ensure(evaluation=yzjh)
    stored = (s.is_open, s.min_sample, s.requires_code)
    client.force_login(district_admin)
    audited = AuditEvent.objects.count()
    # when the bureau types a minimum that is no number and opens the survey with codes
    typed = {"min_sample": "三十", "is_open": "on", "requires_code": "on"}
    response = client.post(_at("survey_settings"), typed)
    # then the page comes back (400) with everything typed and the error on the field
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="form-control is-invalid" value="三十" required aria-invalid="true"' in body
    assert 'id="s_min_error" role="alert">输入整数。' in body
    assert 'id="s_open" class="form-check-input" checked' in body
    assert 'id="s_code" class="form-check-input" checked' in body
    assert f"/s/{s.token}/" in body  # the answer links of the survey set up stay
    assert not [str(m) for m in response.wsgi_request._messages]
    # and nothing is written
    s.refresh_from_db()
    assert (s.is_open, s.min_sample, s.requires_code) == stored
    assert AuditEvent.objects.count() == audited
    # when the evaluation has ended, a valid form is refused by the service: it comes back too
    evaluation_close(evaluation=yzjh, actor=district_admin)
    audited = AuditEvent.objects.count()
    response = client.post(_at("survey_settings"), {"min_sample": "40", "is_open": "on"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error">' in body and "结束并冻结，不能再修改。" in body
    assert 'class="form-control" value="40" required>' in body
    assert (Survey.objects.get().min_sample, AuditEvent.objects.count()) == (stored[1], audited)


def test_a_minimum_sample_past_a_million_is_refused_on_its_field(client, yzjh, district_admin):
    from ruraledu.evaluation.models import Survey

    s = survey_ensure(evaluation=yzjh)
    client.force_login(district_admin)
    for typed in ("1000001", "99999999999999999999"):
        response = client.post(_at("survey_settings"), {"min_sample": typed, "is_open": "on"})
        assert response.status_code == 400
        assert 'id="s_min_error" role="alert">确保该值小于或等于1000000。' in response.text
    assert Survey.objects.get().min_sample == s.min_sample


def test_refused_survey_codes_come_back_as_typed_and_issue_none(client, yzjh, district_admin):
    from ruraledu.audit.models import AuditEvent
    from ruraledu.evaluation.models import SurveyCode
    from ruraledu.evaluation.services import evaluation_close

    # given a survey set up, without codes
    s = survey_ensure(evaluation=yzjh)
    client.force_login(district_admin)
    audited = AuditEvent.objects.count()
    # when the bureau asks for more codes than may be issued at once
    response = client.post(_at("survey_codes"), {"count": "6000"})
    # then the page comes back (400) with the count as typed and the error on its field
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        'id="c_count" class="form-control is-invalid" value="6000" required aria-invalid="true"'
        ' aria-describedby="c_count_error">' in body
    )
    assert 'id="c_count_error" role="alert">确保该值小于或等于5000。' in body
    assert f"/s/{s.token}/" in body  # the answer links of the survey set up stay
    assert not [str(m) for m in response.wsgi_request._messages]
    # and no code is issued, nothing audited
    assert not SurveyCode.objects.exists() and AuditEvent.objects.count() == audited
    # when the bureau asks for 3: the codes come as the file to print, as before
    response = client.post(_at("survey_codes"), {"count": "3"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''survey-codes.txt"
    assert len(response.content.decode().split()) == SurveyCode.objects.count() == 3
    # when the evaluation has ended, a valid count is refused by the service: it comes back
    evaluation_close(evaluation=yzjh, actor=district_admin)
    audited = AuditEvent.objects.count()
    response = client.post(_at("survey_codes"), {"count": "25"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="codes-error">' in body and "结束并冻结，不能再修改。" in body
    assert 'id="c_count" class="form-control" value="25" required>' in body
    assert (SurveyCode.objects.count(), AuditEvent.objects.count()) == (3, audited)


def test_a_refused_survey_import_comes_back_with_its_errors_and_imports_none(
    client, yzjh, district_admin, school_a
):
    from ruraledu.audit.models import AuditEvent
    from ruraledu.evaluation.models import SurveyResponse

    from .test_survey import _workbook

    # given an open survey
    s = survey_ensure(evaluation=yzjh)
    s.is_open = True
    s.save()
    client.force_login(district_admin)
    audited = AuditEvent.objects.count()

    def upload(data, name="答卷.xlsx"):
        return client.post(_at("survey_import"), {"file": SimpleUploadedFile(name, data)})

    # when the bureau imports a file with a row that leaves a question out (six for parents)
    response = upload(
        _workbook(("家长", None, 1, 2, 1, 1, 1, 1), ("家长", None, 1, 2, None, 1, 1, 1))
    )
    # then the page comes back (400) with every error above the import form
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="import-error">导入被拒绝：共 1 处错误，未写入任何答卷。' in body
    assert "<li>工作表“问卷答卷”第 4 行“第3题”列：家长问卷的必答题未作答</li>" in body
    assert not [str(m) for m in response.wsgi_request._messages]
    # when the file is no workbook, the reason is on the file field
    response = upload(b"not a workbook", "答卷.txt")
    assert response.status_code == 400
    assert 'id="imp_file" accept=".xlsx" class="form-control w-auto is-invalid"' in (
        body := response.content.decode()
    )
    assert 'id="imp_file_error" role="alert">' in body
    # when the survey is closed, a good file is refused and says so
    s.is_open = False
    s.save()
    response = upload(_workbook(("家长", school_a.org_unit.code, 1, 2, 1, 1, 1, 1)))
    assert response.status_code == 400
    assert 'data-testid="import-error">本次调查已结束，不再接收答卷。' in response.content.decode()
    # and nothing was imported or audited
    assert not SurveyResponse.objects.exists() and AuditEvent.objects.count() == audited
    # once open again, the good file is imported and the page says so, as before
    s.is_open = True
    s.save()
    response = upload(_workbook(("家长", school_a.org_unit.code, 1, 2, 1, 1, 1, 1)))
    assert response.status_code == 302 and response.url == _at("survey_manage")
    assert [str(m) for m in response.wsgi_request._messages] == ["已导入答卷 1 份。"]
    assert SurveyResponse.objects.count() == 1


def test_a_second_value_and_its_standard_carry_their_unit(client, yzjh, district, district_leader):
    # G10: 12 % of eligible teachers rotated, a third of them backbone teachers
    for code, value in (
        ("evaluation_rotation_rate", 12.0),
        ("evaluation_rotation_backbone_rate", 100 / 3),
    ):
        IndicatorValue.objects.create(
            code=code, unit=district, year=YEAR, value=value, computed_at=timezone.now()
        )
    client.force_login(district_leader)
    page = client.get(_page()).content.decode()
    assert "骨干教师占交流轮岗教师比例：33.33%" in page
    assert "骨干教师占交流轮岗教师比例不低于 20%" in page
    assert "初中就近划片入学比例不低于 95%" in page
    assert "校际差异率不高于 0.15" in page
    assert "校际差异率不高于 0.15%" not in page  # a plain number, not a rate
    xqpjph = client.get(_page(Framework.XQPJPH)).content.decode()
    assert "既有园园舍达标率不低于 50%" in xqpjph


def test_the_index_links_a_survey_only_where_it_opens(
    client, yzjh, xqpjph, district, district_leader, district_admin
):
    survey_ensure(evaluation=xqpjph)
    IndicatorValue.objects.create(  # the index lists the years that hold figures
        code="xqpjph_p1", unit=district, year=YEAR, value=90.0, computed_at=timezone.now()
    )
    yzjh_url = reverse("evaluation:survey_manage", args=["D", Framework.YZJH, YEAR])
    xqpjph_url = reverse("evaluation:survey_manage", args=["D", Framework.XQPJPH, YEAR])
    client.force_login(district_leader)
    index = client.get(reverse("evaluation:evaluation_index")).content.decode()
    assert f'href="{xqpjph_url}"' in index and client.get(xqpjph_url).status_code == 200
    assert f'href="{yzjh_url}"' not in index and client.get(yzjh_url).status_code == 404
    assert "社会认可度调查未开展" in index
    # the bureau sets a survey up by opening it
    client.force_login(district_admin)
    index = client.get(reverse("evaluation:evaluation_index")).content.decode()
    assert f'href="{yzjh_url}"' in index and "未开展" not in index


def test_a_two_part_standard_names_its_first_figure_too(client, yzjh, district_leader, frameworks):
    # R1 is held to two limits; the first must say it is the primary schools' (小学) one, not
    # read "不高于 0.50；初中校际差异系数不高于 0.45" as if both were 初中's
    client.force_login(district_leader)
    page = client.get(_page()).content.decode()
    item_page = client.get(
        reverse("evaluation:item_detail", args=["D", Framework.YZJH, YEAR, "R1"])
    ).content.decode()
    for text in (page, item_page):
        assert "小学校际差异系数不高于 0.50；初中校际差异系数不高于 0.45" in text
    assert "小学就近划片入学比例不低于" in page  # G12
    # a one-part standard keeps its plain form
    assert '<td class="small">不低于 100%' in page
