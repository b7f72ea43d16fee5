"""check_module() over every library module, and that it catches broken modules."""

import pytest

from neuroimmune import ModelError, Module, Parameter, Species
from neuroimmune.conformance import check_module
from neuroimmune.model import library, sym


@pytest.mark.parametrize("name", sorted(library.BY_NAME))
def test_library_module_conforms(name):
    module = library.BY_NAME[name]()
    skip = {name, library.REPLACES.get(name)}
    others = tuple(f() for f in library.STANDARD if f().name not in skip)
    check_module(module, others=others)


def test_check_module_reports_every_problem():
    x = sym("TNF")
    bad = Module("bad", (Species("TNF", "pg/mL", 1.0), Species("unknown_thing", "pg/mL", 1.0)),
                 (Parameter("k_bad", 1.0, "1/min", "test"),),
                 {"TNF": -sym("k_bad") * x, "unknown_thing": sym("k_bad") * x})
    with pytest.raises(ModelError) as info:
        check_module(bad, others=(library.innate(),))
    text = str(info.value)
    assert "factor 60" in text
    assert "'unknown_thing' is not in the catalog" in text
    assert "does not compose with 'innate'" in text


def test_check_module_catches_negative_states():
    x = sym("damage")
    leaky = Module("leaky", (Species("damage", "AU", 1.0, "test state"),),
                   (Parameter("k_leak", 1.0, "AU/h", "test"),), {"damage": -sym("k_leak") + 0 * x})
    with pytest.raises(ModelError, match="non-negative|solver status"):
        check_module(leaky, hours=4.0)
