def test_fixture(seeded):
    records = seeded.json("claim", "list", "--limit", "0")
    assert len(records) == 29
    shown = seeded.json("claim", "show", "junta-cease")
    assert "contradicted" in shown["flags"]
