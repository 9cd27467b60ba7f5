"""`make mutation`: mutation testing (mutmut 3, config in pyproject.toml [tool.mutmut]) of the torch-free
contract (dcae/contract/) and the gateway's keys and generation loop. Not part of `make test`.

    python scripts/mutation.py [MUTANT_NAME_PATTERN ...]     # default: TARGETS below; `all`: + MORE_TARGETS
    python scripts/mutation.py report                        # counts per file, then the mutants not killed

mutmut 3 runs each mutant's tests with MUTANT_UNDER_TEST set; the gateway tests' uvicorn subprocesses
inherit it and import the mutated copy (their cwd is mutants/), so they do kill mutants. But mutmut
picks each mutant's tests from the functions the tests call *in process*, and most of service/ runs
only inside those subprocesses: without help every mutant of security.py, routes/ and middleware.py
would be "no tests". Two additions, made here around mutmut (pinned in requirements-dev.txt):

  1. GATEWAY_TESTS: the tests that exercise a module through a gateway subprocess are added to every
     function of that module, on top of what mutmut measured in process.
  2. tiny_repository (the exported ONNX models, ~25 s) is built once per run, not once per mutant.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
from pathlib import Path

import pytest

import mutmut.__main__ as mm
from mutmut.runners.harness import PytestRunner
from mutmut.state import state
from mutmut.stats import save_stats
from mutmut.utils.format_utils import mangled_name_from_mutant_name

# What `make mutation` mutates: the torch-free contract's sampling, guided loop, tiling, pixel and latent
# code (which the gateway, Triton's generate model and the ML core share), keys and rate limits, and the
# gateway's generation loop.
TARGETS = [
    "dcae.contract.sampling.*",
    "dcae.contract.generation.*",
    "dcae.contract.tiling.*",
    "dcae.contract.latents.*",
    *(f"dcae.contract.pixels.{f}__mutmut_*" for f in ("x_to_model", "x_to_uint8", "x_pad_to_multiple")),
    "service.security.*",
    *(f"service.pipeline.{f}__mutmut_*" for f in (
        "xǁPipelinesǁconditioning", "xǁPipelinesǁstart_loop", "xǁPipelinesǁgenerate_stream", "xǁPipelinesǁgenerate",
        "xǁPipelinesǁencode", "xǁPipelinesǁdecode")),
]
# Opt-in (`all`, or name patterns): the request handling, 2-3 hours on 2 cores (gateway tests only).
MORE_TARGETS = ["service.middleware.*", "service.routes.*"]

_RELIABILITY = "tests/service/test_reliability.py::*"
_SERVICE_EMBEDDED = "tests/service/test_service.py::*[[]embedded[]]"
# module -> node-id patterns (of the tests the stats run saw) that reach it through a gateway subprocess
GATEWAY_TESTS = {
    "service.security": [f"tests/service/test_reliability.py::test_{t}" for t in (
        "keys_scopes_and_public_paths", "rate_limit_per_key", "rate_limit_from_the_environment",
        "cors_off_by_default_and_only_for_configured_origins", "key_tools_and_bad_key_configuration",
        "startup_says_loudly_when_authentication_is_off")],
    "service.middleware": [_RELIABILITY, "tests/service/test_service.py::test_metrics_reflect_requests*"],
    "service.pipeline": [_SERVICE_EMBEDDED, "tests/service/test_reliability.py::test_a_client_that_disconnects_cancels_its_generation"],
    # The guided loop: the gateway's generation tests (in process, tests/contract/test_contract.py covers it too).
    "dcae.contract.generation": [_SERVICE_EMBEDDED],
    **{f"service.routes.{m}": [_RELIABILITY, _SERVICE_EMBEDDED]
       for m in ("common", "encode", "decode", "generate", "models", "health")},
}

CACHE = Path.cwd().resolve() / "mutants" / ".tiny_repository"  # made by the first test run that needs it


class CachedTinyRepository:
    """conftest's session fixture `tiny_repository`, built once (under mutants/) and reused by every
    mutant's test run (a fresh pytest session each). The models come from dcae/ and export/, which
    are not mutated, so one build serves every mutant."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.argname != "tiny_repository":
            return None
        if not (CACHE / "repo").is_dir():
            built = fixturedef.func(**{a: request.getfixturevalue(a) for a in fixturedef.argnames})
            tmp = CACHE.with_name(CACHE.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(built.parent, tmp, symlinks=True)
            tmp.rename(CACHE)
        result = CACHE / "repo"
        fixturedef.cached_result = (result, fixturedef.cache_key(request), None)
        return result


_execute_pytest = PytestRunner.execute_pytest


def _execute_pytest_with_cache(self, params, **kwargs):
    return _execute_pytest(self, params, plugins=[*kwargs.pop("plugins", []), CachedTinyRepository()], **kwargs)


_test_order: dict[str, int] = {}
_regular_run = PytestRunner._pytest_args_regular_run


def _regular_run_in_stats_order(self, tests):
    # mutmut passes a set; in the stats run's order, each module's gateways start once per mutant
    return _regular_run(self, sorted(tests, key=lambda t: (_test_order.get(t, len(_test_order)), t)))


_collect = mm.collect_source_file_mutation_data


def _collect_and_add_gateway_tests(*, mutant_names):
    mutants, by_path = _collect(mutant_names=mutant_names)
    seen = list(state().duration_by_test)  # every test of the stats run, in its order
    _test_order.update({t: i for i, t in enumerate(seen)})
    added = {}
    for _, name, _ in mutants:
        module = name.rsplit(".", 1)[0]
        patterns = GATEWAY_TESTS.get(module)
        if patterns:
            tests = {t for t in seen if any(fnmatch.fnmatchcase(t, p) for p in patterns)}
            assert tests, f"no test of the stats run matches GATEWAY_TESTS[{module!r}]"
            key = mangled_name_from_mutant_name(name)
            state().tests_by_mangled_function_name[key] |= tests
            added[module] = len(tests)
    if added:
        print("    gateway tests added per function:", ", ".join(f"{m} {n}" for m, n in sorted(added.items())))
        save_stats()
    return mutants, by_path


def report(out=sys.stdout) -> None:
    """Per-file counts, then every mutant that was not killed as `file:line status: - old / + new`."""
    import collections
    import re

    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    lines = []
    for path in walk_mutatable_files():
        m = SourceFileMutationData(path=path)
        m.load()
        checked = {k: status_by_exit_code[v] for k, v in m.exit_code_by_key.items() if v is not None}
        if not checked:
            continue
        counts = collections.Counter(checked.values())
        print(f"{path}: {len(checked)} checked ({len(m.exit_code_by_key)} generated): "
              + ", ".join(f"{s} {n}" for s, n in counts.most_common()), file=out)
        source = Path(path).read_text().splitlines()
        for key, status in sorted(checked.items(), key=lambda kv: (kv[0].split("__mutmut_")[0],
                                                                   int(kv[0].rsplit("_", 1)[1]))):
            if status == "killed":
                continue
            diff = get_diff_for_mutant(key, path=path).splitlines()
            old = [d[1:] for d in diff[2:] if d.startswith("-")]
            new = [d[1:] for d in diff[2:] if d.startswith("+")]
            func = key.split("__mutmut_")[0].rsplit(".", 1)[1].rsplit("ǁ", 1)[-1].removeprefix("x_")
            start = next((i for i, t in enumerate(source) if re.match(rf"\s*(async )?def {re.escape(func)}\b", t)), 0)
            at = next((i for i in range(start, len(source)) if old and source[i].strip() == old[0].strip()), start)
            lines.append(f"{path}:{at + 1} {status} {key.rsplit('.', 1)[1]}\n"
                         + "".join(f"    - {o.strip()}\n" for o in old) + "".join(f"    + {n.strip()}\n" for n in new))
    print("".join(lines), file=out, end="")


def main(argv: list[str]) -> None:
    if argv == ["report"]:
        return report()
    PytestRunner.execute_pytest = _execute_pytest_with_cache
    PytestRunner._pytest_args_regular_run = _regular_run_in_stats_order
    mm.collect_source_file_mutation_data = _collect_and_add_gateway_tests
    sys.argv = ["mutmut", "run", "--max-children", os.environ.get("MUTATION_WORKERS", "1"), *(TARGETS + MORE_TARGETS if argv == ["all"] else argv or TARGETS)]
    mm.cli()


if __name__ == "__main__":
    main(sys.argv[1:])
