"""Django REST framework and drf-spectacular settings, imported by the project settings."""

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ruraledu.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ruraledu.api.auth.TokenScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["ruraledu.api.auth.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": "600/min"},
    "DEFAULT_PAGINATION_CLASS": "ruraledu.api.base.Pages",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "ruraledu.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "乡村教育振兴监测督导平台接口",
    "DESCRIPTION": "机构、规划、指标值、目标状态、报告与导入任务的读取接口，导入与重算的写入接口，"
    "以及 DHIS2 dataValueSets 格式的数据交换。使用个人令牌：请求头 Authorization: Bearer <令牌>。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # the map of the API is for signed-in users and token holders only
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TargetStatusEnum": "ruraledu.indicators.choices.TargetStatus",
        "ReportStatusEnum": "ruraledu.reporting.choices.ReportStatus",
        "ImportJobStatusEnum": "ruraledu.spreadsheets.choices.ImportJobStatus",
        "RecomputeJobStatusEnum": "ruraledu.indicators.models.RecomputeJob.Status",
    },
}
