"""Where a run's config, catalog, state and stream choice come from: Singer's files, and the
flags Mage integration pipelines pass (`--config_json`, `--settings`, `--catalog_json`,
`--state_json`, `--selected_streams_json`, `--query_json`), with Mage's precedence."""
import json
from dataclasses import dataclass, field
from typing import List, Optional

from .errors import ConfigError


@dataclass
class Inputs:
    config: dict
    catalog: Optional[dict] = None
    state: Optional[dict] = None
    selected_streams: Optional[List[str]] = None
    query: dict = field(default_factory=dict)


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ConfigError("{} file not found: {}".format(what, path)) from None
    except OSError as exc:
        raise ConfigError("{} file {} cannot be read: {}".format(what, path, exc.strerror)) from None
    except ValueError as exc:
        raise ConfigError("{} file {} is not valid JSON: {}".format(what, path, exc)) from None


def parse_json_flag(text, flag):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError("{} is not valid JSON: {}".format(flag, exc)) from None


def read_settings(path):
    """Mage's settings file: YAML (or JSON) with `config` and a catalog under
    `data_integration.catalog` or `catalog`."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError("settings file {} cannot be read: {}".format(path, exc.strerror)) from None
    try:
        data = json.loads(text)
    except ValueError:
        try:
            import yaml
        except ImportError:
            raise ConfigError("settings file {} is YAML; install pyyaml to read it".format(path)) from None
        try:
            data = yaml.load(text, Loader=_text_dates_loader(yaml))
        except yaml.YAMLError as exc:
            raise ConfigError("settings file {} is not valid YAML: {}".format(path, _yaml_problem(exc))) from None
    if not isinstance(data, dict):
        raise ConfigError("settings file {} must hold a mapping".format(path))
    return data


def _yaml_problem(exc):
    """Where and what, on one line: PyYAML's own message quotes the offending line, which may
    be the one holding a secret."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or type(exc).__name__
    if mark is None:
        return problem
    return "{} at line {}, column {}".format(problem, mark.line + 1, mark.column + 1)


def _text_dates_loader(yaml):
    """PyYAML's safe loader, but an unquoted `start_date: 2024-01-01T00:00:00Z` stays text (as
    Mage reads it) instead of becoming a datetime that no JSON setting accepts."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _object(value, what):
    if not isinstance(value, dict):
        raise ConfigError("{} must be a JSON object".format(what))
    return value


def gather(args):
    config = {}
    catalog = None
    settings = read_settings(args.settings) if args.settings else {}
    if settings and not args.config:
        config.update(_object(settings.get("config") or {}, "settings 'config'"))
    for path in args.config:
        config.update(_object(read_json(path, "config"), "config file {}".format(path)))
    if args.config_json:
        config.update(_object(parse_json_flag(args.config_json, "--config_json"), "--config_json"))

    catalog_path = args.catalog or args.properties
    if catalog_path:
        catalog = read_json(catalog_path, "catalog")
    elif settings:
        catalog = (settings.get("data_integration") or {}).get("catalog") or settings.get("catalog")
    if args.catalog_json:
        catalog = parse_json_flag(args.catalog_json, "--catalog_json")

    state = read_json(args.state, "state") if args.state else None
    if args.state_json:
        state = parse_json_flag(args.state_json, "--state_json")

    selected = None
    if args.selected_streams_json:
        selected = parse_json_flag(args.selected_streams_json, "--selected_streams_json")
        if not isinstance(selected, list) or not all(isinstance(s, str) for s in selected):
            raise ConfigError("--selected_streams_json must be a JSON list of stream names")

    query = {}
    if args.query:
        query.update(_object(read_json(args.query, "query"), "query file"))
    if args.query_json:
        query.update(_object(parse_json_flag(args.query_json, "--query_json"), "--query_json"))
    return Inputs(config, catalog, state, selected, query)
