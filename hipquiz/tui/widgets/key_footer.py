"""The footer of keys, updated in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# What a key shows and does: key, how the key is written, description, action, extra classes.
Identity = tuple[str, str, str, str, str]


class KeyFooter(Footer):
    """Textual's Footer, kept up to date in place.

    The stock Footer removes and mounts one widget per key whenever the screen's bindings may have
    changed (each focus change, each ``refresh_bindings``), once per call: restyling and laying out
    new widgets cost ~10 ms a time on the study screen, two or three times a card. This one keeps
    the keys it has shown and only shows, hides, enables or disables them; a widget is mounted only
    for a key never shown before. What it shows is what Footer shows (bindings in binding-group
    form fall back to Footer's own recompose).
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
        if self.is_attached and screen is self.screen and not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_keys)

    def _wanted(self) -> list[tuple[Identity, bool, str]] | None:
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
                                "-command-palette"), enabled, binding.tooltip or binding.description))
        return wanted

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
                if not classes:  # as in Footer: the command palette's key keeps its own style
                    key.data_bind(compact=Footer.compact)
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
                key.styles.clear_rule("display")  # back to what the stylesheet says
                self.refresh(layout=True)
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
