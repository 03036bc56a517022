"""Correcting the record: `claim edit|unattribute|withdraw|restore|merge`, `doc edit`,
`entity edit|merge`, `source merge`."""

from typing import Annotated, Any

import typer
from typer._click.exceptions import UsageError

from provenance.cli.state import FormatOption, say, state
from provenance.output import Format, render
from provenance.vocab import Stance

Note = Annotated[str, typer.Option(help="Why (required; kept in the audit trail)")]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="FIELD=VALUE",
        help="Set any field by name (repeatable); FIELD= with nothing after it clears it",
    ),
]
ClearOption = Annotated[
    list[str] | None, typer.Option("--clear", metavar="FIELD", help="Clear a field (repeatable)")
]


def _changes(pairs: list[str] | None, clear: list[str] | None, **named: Any) -> dict[str, Any]:
    """The fields an edit sets, from ``--set FIELD=VALUE``, ``--clear FIELD`` and the
    named options (``named``: field name → value, None when not given). A field given
    twice is a usage error: which one should win is the analyst's to say (the last one
    won silently, so ``--value 5 --clear value`` set 5)."""

    changes: dict[str, Any] = {}
    given: dict[str, str] = {}

    def put(name: str, value: Any, how: str) -> None:
        if name in given:
            raise UsageError(f"{given[name]} and {how} both set {name}: give one")
        given[name] = how
        changes[name] = value

    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set {pair!r}: write FIELD=VALUE")
        put(name.strip(), value if value != "" else None, f"--set {name.strip()}=")
    for name in clear or []:
        put(name.strip(), None, f"--clear {name.strip()}")
    for name, value in named.items():
        if value is not None:
            put(name, value, f"--{name}")
    return changes


def edit_claim(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    text: Annotated[str | None, typer.Option(help="The claim, in your words")] = None,
    subject: Annotated[str | None, typer.Option(help="Entity key or alias")] = None,
    property: Annotated[str | None, typer.Option(help="A slug, e.g. civilians_killed")] = None,
    value: Annotated[
        str | None,
        typer.Option(help="A figure as people write it: 300, at least 300, about 1,500, 300-350"),
    ] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Start of the period")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="End of the period")
    ] = None,
    place: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag (repeatable)")] = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag (repeatable)")
    ] = None,
    key: Annotated[str | None, typer.Option(help="A new key (links and history follow)")] = None,
    category: Annotated[
        bool, typer.Option("--category", help="Keep --value as a category, not a figure")
    ] = False,
    new_entity: Annotated[
        bool, typer.Option("--new-entity", help="Create a subject even if it is close to one")
    ] = False,
    set_: SetOption = None,
    clear: ClearOption = None,
) -> None:
    """Correct a claim's capture; every changed field is recorded before and after."""
    from provenance.services import corrections

    changes = _changes(
        set_,
        clear,
        text=text,
        subject=subject,
        property=property,
        value=value,
        unit=unit,
        to=to,
        place=place,
        key=key,
        **{"from": from_},
    )
    with state(ctx).writing() as session:
        result = corrections.edit_claim(
            session,
            claim,
            changes,
            analyst=state(ctx).who,
            add_tags=tag or [],
            remove_tags=untag or [],
            category=category,
            new_entity=new_entity,
        )
    say(f"{result['claim']}: changed {', '.join(result['changed']) or 'its links'}")


def unattribute(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    source: Annotated[str, typer.Option("--source", "-s", help="The attribution's origin")],
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Its relays, to say which (repeatable)")
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Its document, to say which")] = None,
    stance: Annotated[
        Stance | None,
        typer.Option(help="Its stance, to say which", case_sensitive=False),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit trail)")] = None,
) -> None:
    """Remove one attribution (ambiguous: the error lists them)."""
    from provenance.services import attribution_edits

    with state(ctx).writing() as session:
        result = attribution_edits.unattribute(
            session,
            claim,
            source=source,
            via=via,
            document=doc,
            stance=stance.value if stance is not None else None,
            analyst=state(ctx).who,
            note=note,
        )
    say(f"{result['claim']}: attribution to {result['removed']} removed")


def restore(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    note: Note,
) -> None:
    """Bring back a claim withdrawn by mistake (a merged duplicate stays merged)."""
    from provenance.services import corrections

    with state(ctx).writing() as session:
        result = corrections.restore(session, claim, note=note, analyst=state(ctx).who)
    say(f"{result['claim']}: restored")


def withdraw(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    note: Note,
) -> None:
    """Withdraw a capture that should not exist (a typo, a bad extraction): kept in
    history, left out of lists, flags, comparisons, scoring and exports."""
    from provenance.services import corrections

    with state(ctx).writing() as session:
        result = corrections.withdraw(session, claim, note=note, analyst=state(ctx).who)
    say(f"{result['claim']}: withdrawn")


def merge_claims(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(metavar="KEEP", help="The claim that stays")],
    duplicate: Annotated[str, typer.Argument(metavar="DUPLICATE", help="The one folded into it")],
    note: Note,
) -> None:
    """Fold a duplicate claim into another: attributions, links and tags move; the old key
    still resolves and says where it went."""
    from provenance.services import corrections

    with state(ctx).writing() as session:
        result = corrections.merge_claims(
            session, keep, duplicate, note=note, analyst=state(ctx).who
        )
    moved = result["attributions_moved"]
    took = f"; it takes {', '.join(result['took'])} from it" if result["took"] else ""
    say(
        f"{result['merged']} merged into {result['kept']} "
        f"({moved} attribution{'s' if moved != 1 else ''} moved{took})"
    )


def edit_document(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Document key or unique prefix")],
    title: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
    publisher: Annotated[str | None, typer.Option(help="Source key")] = None,
    published: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    retrieved: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    language: Annotated[str | None, typer.Option()] = None,
    file: Annotated[
        str | None, typer.Option("--file", metavar="PATH", help="Store the sha256 of this file")
    ] = None,
    set_: SetOption = None,
    clear: ClearOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Correct a document (add a URL, fix a date); every change is audited."""
    from pathlib import Path

    from provenance.cli import views
    from provenance.services import catalog, record_edits

    changes = _changes(
        set_,
        clear,
        title=title,
        url=url,
        publisher=publisher,
        published=published,
        retrieved=retrieved,
        language=language,
    )
    if file is not None:
        if "sha256" in changes:
            raise UsageError("--file and --set/--clear sha256 both set sha256: give one")
        changes["sha256"] = catalog.file_sha256(Path(file))
    with state(ctx).writing() as session:
        result = record_edits.edit_document(session, key, changes, analyst=state(ctx).who)
        record = catalog.get_document(session, result["document"])
    render(record, fmt, columns=views.DOCUMENT_COLUMNS, title="Document")


def edit_entity(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Entity key or alias")],
    name: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Add (repeatable)")] = None,
    unalias: Annotated[
        list[str] | None, typer.Option("--unalias", help="Remove (repeatable)")
    ] = None,
    set_: SetOption = None,
    clear: ClearOption = None,
) -> None:
    """Correct an entity: its name, kind and aliases."""
    from provenance.services import record_edits

    changes = _changes(set_, clear, name=name, kind=kind)
    with state(ctx).writing() as session:
        result = record_edits.edit_entity(
            session,
            key,
            changes,
            analyst=state(ctx).who,
            add_aliases=alias or [],
            remove_aliases=unalias or [],
        )
    say(f"{result['entity']}: changed {', '.join(result['changed'])}")


def _merge(kind: str) -> Any:
    def merge(
        ctx: typer.Context,
        keep: Annotated[str, typer.Argument(metavar="KEEP", help="The key that stays")],
        duplicate: Annotated[
            str, typer.Argument(metavar="DUPLICATE", help="Becomes an alias of KEEP")
        ],
        note: Note,
    ) -> None:
        from provenance.services import record_edits

        merger = record_edits.merge_sources if kind == "source" else record_edits.merge_entities
        with state(ctx).writing() as session:
            result = merger(session, keep, duplicate, note=note, analyst=state(ctx).who)
        claims = result["claims"]
        say(
            f"{result['merged']} merged into {result['kept']}: {claims} "
            f"claim{'s' if claims != 1 else ''} now name {result['kept']}; "
            f"{result['merged']!r} is an alias of it"
        )
        if result.get("affiliation"):
            say(
                f"note: {result['kept']} takes {result['merged']}'s affiliation "
                f"{result['affiliation']!r}: its claims no longer count as independent of "
                f"that family's (`source edit {result['kept']} --affiliation …` to change it)"
            )
        differing = result.get("folded_differing", [])
        if differing:
            shown = ", ".join(differing[:10]) + (" …" if len(differing) > 10 else "")
            say(
                f"note: in {len(differing)} claim(s) the two sources' attributions became one "
                f"and had set different confidence or quote; the earlier one's values were "
                f"kept (the event holds both; claim history shows them): {shown}"
            )

    merge.__doc__ = (
        f"One {'party' if kind == 'source' else 'place or party'} recorded twice: every "
        f"reference moves to KEEP, and DUPLICATE's key and aliases become KEEP's aliases."
    )
    return merge


def register(
    claims: typer.Typer, sources: typer.Typer, entities: typer.Typer, documents: typer.Typer
) -> None:
    claims.command("edit")(edit_claim)
    claims.command("unattribute")(unattribute)
    claims.command("withdraw")(withdraw)
    claims.command("restore")(restore)
    claims.command("merge")(merge_claims)
    documents.command("edit")(edit_document)
    entities.command("edit")(edit_entity)
    entities.command("merge")(_merge("entity"))
    sources.command("merge")(_merge("source"))


__all__ = ["register", "render"]
