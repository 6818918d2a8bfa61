"""Writing plan files: readable YAML with Chinese text kept as is."""

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_plan(data: dict) -> str:
    head = "# 工作方案数据文件（草稿由 import_plan_doc 生成，请核对后用 load_plan 导入）\n"
    return head + yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, indent=2
    )
