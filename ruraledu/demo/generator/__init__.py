"""The demo district generator (示例数据生成器): see README.md in this folder."""
