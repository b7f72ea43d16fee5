"""Knowledge base, derived network and the `model` / `network` commands."""

import json
import re

import pytest
from typer.testing import CliRunner

from neuroimmune import compose, hpa, innate
from neuroimmune.catalog import entities, entity, interactions, receptors
from neuroimmune.cli import app
from neuroimmune.model import library

runner = CliRunner()


def test_every_library_species_and_input_is_in_the_catalog():
    for factory in library.BY_NAME.values():
        m = factory()
        for name in list(m.species_names) + [i.name for i in m.inputs]:
            e = entity(name)
            assert e.source.strip(), name


def test_identifiers_are_well_formed():
    for e in entities().values():
        assert e.chebi == "" or re.fullmatch(r"CHEBI:\d+", e.chebi), e.name
        assert e.uniprot == "" or re.fullmatch(r"[OPQ]\d[A-Z0-9]{3}\d", e.uniprot), e.name
        if e.kind in ("cytokine", "hormone"):
            assert e.chebi or e.uniprot, f"{e.name} needs a ChEBI or UniProt identifier"
    for r in receptors().values():
        assert re.fullmatch(r"[OPQ]\d[A-Z0-9]{3}\d", r.uniprot), r.name
        assert r.cell_types and r.source


def test_catalog_half_lives_match_model_clearance():
    """Cytokine half-lives in the catalog are ln 2 / clearance of the innate module."""
    import math

    m = innate()
    for name, k in (("TNF", "kTNF"), ("IL6", "k6"), ("IL8", "k8"), ("IL10", "k10"), ("LPS", "kE")):
        assert entity(name).half_life_min == pytest.approx(
            60 * math.log(2) / m.parameter(k).value, abs=1.0)


def test_network_has_the_known_two_way_links():
    edges = {(e.source, e.target): e.sign
             for e in interactions(compose(innate(), hpa()))}
    # cytokines drive the HPA axis, through the brain-endothelial PGE2 step
    assert edges[("TNF", "hypothalamic_TNF_signal")] == 1
    assert edges[("hypothalamic_TNF_signal", "CRH")] == 1
    # glucocorticoids suppress TNF through the monocytes' genomic GR signal (docs/design/0016)
    assert edges[("endogenous_cortisol", "GR_genomic")] == 1 and edges[("GR_genomic", "TNF")] == -1
    assert edges[("endogenous_cortisol", "CRH")] == -1    # negative feedback
    assert edges[("LPS", "monocytes_activated")] == 1
    assert edges[("IL10", "TNF")] == -1
    assert edges[("stress", "CRH")] == 1
    assert ("IL8", "TNF") not in edges


def test_model_json_lists_modules_species_parameters_with_sources():
    result = runner.invoke(app, ["model", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"modules", "species", "parameters"} <= set(doc)
    assert {m["name"] for m in doc["modules"]} == {"innate", "hpa", "fever", "autonomic"}
    species = {s["name"]: s for s in doc["species"]}
    cortisol = species["endogenous_cortisol"]  # the assay `cortisol` is an observable (0018)
    assert cortisol["unit"] == "ug/dL" and cortisol["module"] == "hpa"
    assert all(p["source"] and p["unit"] for p in doc["parameters"])
    assert {"name", "value", "unit", "source"} <= set(doc["parameters"][0])
    # every interaction links two catalog entries and the sources of its numbers
    links = {(i["source"], i["target"]): i for i in doc["interactions"]}
    for (a, b), link in links.items():
        entity(a), entity(b)
        assert link["citations"] and all(c.strip() for c in link["citations"]), (a, b)
    # glucocorticoids inhibit TNF through the monocytes' genomic GR signal (docs/design/0016)
    gr_tnf = links[("GR_genomic", "TNF")]
    assert gr_tnf["effect"] == "inhibits"
    assert any("Waage" in c for c in gr_tnf["citations"])
    assert links[("EPI", "TNF")]["effect"] == "inhibits"


def test_model_json_shows_tied_reference_copies():
    """Copies of another module's reference value are listed as tied, not as parameters."""
    result = runner.invoke(app, ["model", "--json", "--module", "innate", "--module", "hpa",
                                 "--module", "tissue"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    tied = {t["name"]: t for t in doc["tied"]}
    assert tied["GC_ref"]["text"] == "tied to cortisol_ref of module innate"
    assert tied["GC_ref"]["module"] == "tissue"
    assert tied["IL10_ref"]["tied_to"] == "w10"
    # TGFb_ref's owner (innate_extra) is not composed: the copy stays a parameter
    params = {p["name"] for p in doc["parameters"]}
    assert "TGFb_ref" in params and not {"GC_ref", "IL10_ref"} & params


def test_model_rejects_unknown_module():
    result = runner.invoke(app, ["model", "--module", "nope"])
    assert result.exit_code == 2
    assert "Fix" in result.output


def test_network_command_writes_a_figure(tmp_path):
    out = tmp_path / "net.svg"
    result = runner.invoke(app, ["network", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("<?xml") and "cortisol" in text and "TNF" in text
    bad = runner.invoke(app, ["network", "--out", str(tmp_path / "net.txt")])
    assert bad.exit_code == 2
