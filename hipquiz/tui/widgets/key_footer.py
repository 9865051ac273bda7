"""The footer of keys, updated in place and fitted to the terminal's width.

Textual's footer lays its keys out in one line and cuts whatever passes the right edge (or hides
it under Ctrl+P, docked right), so the keys a person needs most (Help, the way back) could be the
ones lost: at 40 columns, and at 80 on a screen with many keys. This footer shows the screen's keys
in their order while they fit, always keeping Help and the way back; when some are left out it
shows Ctrl+P as "more" (the command palette holds the main actions, the help screen every key).
Below :data:`NARROW` columns it also goes compact.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# What a key shows and does: key, how the key is written, description, action, extra classes.
Identity = tuple[str, str, str, str, str]
Wanted = tuple[Identity, bool, str]  # a key to show, whether it is enabled, its tooltip

# The app's -wide breakpoint: below it the screens squeeze too (hipquiz.tcss).
NARROW = 60
# Actions always shown: the way out of a screen, and Help, the way to every other key.
ALWAYS = ("help", "back", "app.quit", "close", "cancel")
# What Ctrl+P is called when it stands for the keys left out.
MORE = "more"
PALETTE = "-command-palette"


def _key_width(identity: Identity, compact: bool = True) -> int:
    """Cells a key takes (Footer's styles): compact, its key, a space and its description, then one
    cell of margin; wide, one cell of padding either side of the key and after the description,
    and Ctrl+P's key a border and one more cell of padding."""
    _key, display, description, _action, classes = identity
    words = cell_len(display) + (1 + cell_len(description) if description else 0)
    if compact:
        return words + 1
    return words + 2 + (2 if classes == PALETTE else 0)


def fitted(wanted: list[Wanted], room: int, compact: bool = True) -> list[Wanted]:
    """The keys that fit in ``room`` cells, in their order, ``ALWAYS`` ones kept; the palette's key
    last, as "more" when keys were left out (and, when compact, only if it fits when none were)."""

    def cells(entry: Wanted) -> int:
        return _key_width(entry[0], compact)

    palette = next((w for w in wanted if w[0][4] == PALETTE), None)
    keys = [w for w in wanted if w is not palette]
    total = sum(cells(w) for w in keys)
    if palette is not None and not compact:  # a wide footer always shows Ctrl+P, as Textual's does
        if total + cells(palette) <= room:
            return keys + [palette]
    elif total <= room:
        return keys + ([palette] if palette is not None and total + cells(palette) <= room else [])
    if palette is not None:
        identity, enabled, tooltip = palette
        palette = ((identity[0], identity[1], MORE, identity[3], identity[4]), enabled, tooltip)
        room -= cells(palette)
    room -= sum(cells(w) for w in keys if w[0][3] in ALWAYS)
    kept = []
    for entry in keys:
        if entry[0][3] in ALWAYS:
            kept.append(entry)
        elif cells(entry) <= room:
            kept.append(entry)
            room -= cells(entry)
        else:
            room = 0  # keep the screen's order: no later, shorter key jumps ahead of one left out
    return kept + ([palette] if palette is not None else [])


class KeyFooter(Footer):
    """Textual's Footer, kept up to date in place, fitted to its width, compact below :data:`NARROW`.

    The stock Footer removes and mounts one widget per key whenever the screen's bindings may have
    changed (each focus change, each ``refresh_bindings``), once per call: restyling and laying out
    new widgets cost ~10 ms a time on the study screen, two or three times a card. This one keeps
    the keys it has shown and only shows, hides, enables or disables them; a widget is mounted only
    for a key never shown before. What it shows is what Footer shows (bindings in binding-group
    form fall back to Footer's own recompose).
    """

    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-command-palette {
        border-left: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._update_pending = False
        self._stock = False
        self._keys: dict[Identity, FooterKey] = {}
        self._hidden: set[Identity] = set()

    def compose(self) -> ComposeResult:
        if self._stock:
            yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        # Once per refresh, however many times the bindings changed before it.
        if self.is_attached and screen is self.screen:
            self._update_soon()

    def watch_compact(self, compact: bool) -> None:
        # What Footer does by binding each key's compact to its own (data_bind), which binds to
        # the widget running the code: a footer filled by its screen would bind to the screen.
        for (_key, _display, _description, _action, classes), key in self._keys.items():
            if not classes:
                key.compact = compact

    async def fill(self) -> None:
        """Show the screen's keys now, for a footer mounted once its screen's bindings are set (the
        study screen's, after its first frame): otherwise they come a frame or two later, with the
        first update of the bindings."""
        self._bindings_ready = True
        await self._update_keys()

    def _update_soon(self) -> None:
        if not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_keys)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow or narrow != self.compact:
            self.compact = narrow
            self._update_soon()  # what fits changed

    def _wanted(self) -> list[Wanted] | None:
        """The keys Footer would show, in its order: (identity, enabled, tooltip); None when a
        binding group is in use (left to Footer)."""
        active = self.screen.active_bindings
        first_per_action: dict[str, tuple] = {}
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            first_per_action.setdefault(binding.action, (binding, enabled, tooltip))
        display = self.app.get_key_display
        wanted = [((binding.key, display(binding), binding.description, binding.action, ""), enabled, tooltip)
                  for binding, enabled, tooltip in first_per_action.values()]
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                wanted.append(((binding.key, display(binding), binding.description, binding.action,
                                PALETTE), enabled, binding.tooltip or binding.description))
        width = self.size.width or self.app.size.width
        return fitted(wanted, width, compact=width < NARROW)

    async def _update_keys(self) -> None:
        self._update_pending = False
        if not self.is_attached or not self._bindings_ready:
            return
        wanted = self._wanted()
        if wanted is None or self._stock:
            self._stock = True
            self._keys.clear()
            await self.recompose()
            return
        new: list[FooterKey] = []
        previous: FooterKey | None = None
        for identity, enabled, tooltip in wanted:
            key = self._keys.get(identity)
            if key is None:
                key_name, key_display, description, action, classes = identity
                key = FooterKey(key_name, key_display, description, action, classes=classes,
                                disabled=not enabled, tooltip=tooltip)
                # Compact or not from the start: set once mounted, it restyled each key twice (its
                # default, then the footer's), ~25 restyles as a screen's footer first fills.
                # As in Footer, the command palette's key keeps its own (compact) style; the others
                # follow the footer's (watch_compact).
                compact = self.compact if not classes else True
                key.set_reactive(FooterKey.compact, compact)
                key.set_class(compact, "-compact", update=False)
                self._keys[identity] = key
                new.append(key)
                if self.children:
                    await self.mount(key, after=previous) if previous is not None else \
                        await self.mount(key, before=self.children[0])
                previous = key
                continue
            if previous is not None and previous in self.children and \
                    self.children.index(key) < self.children.index(previous):
                self.move_child(key, after=previous)
            if identity in self._hidden:
                self._hidden.discard(identity)
                key.styles.display = None  # back to what the stylesheet says
            if key._disabled == enabled:
                key._disabled = not enabled
                key.set_class(not enabled, "-disabled")
            if key.tooltip != (tooltip or None):
                key.tooltip = tooltip or None
            previous = key
        if new and not self.children:
            await self.mount_all(new)
        wanted_ids = {identity for identity, _enabled, _tooltip in wanted}
        for identity, key in self._keys.items():
            if identity not in wanted_ids and identity not in self._hidden:
                self._hidden.add(identity)
                key.display = False
