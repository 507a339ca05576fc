// A project combobox that stays instant with thousands of projects: the
// search text is lower-cased once when the list arrives, each keystroke is
// one pass of String.includes, and at most LIMIT options are drawn.
const LIMIT = 50;

export class ProjectPicker {
  /** @param {HTMLInputElement} input @param {HTMLUListElement} list */
  constructor(input, list, { onChange } = {}) {
    this.input = input;
    this.list = list;
    this.onChange = onChange ?? (() => {});
    this.items = [];
    this.shown = [];
    this.active = -1;
    this.selected = null;
    input.addEventListener("input", () => {
      this.selected = null;
      this.onChange(null);
      this.open();
    });
    input.addEventListener("focus", () => {
      clearTimeout(this.closing); // focus came back before the list closed: keep it
      this.open();
    });
    // Close a moment after blur, so a click on an option still lands.
    input.addEventListener("blur", () => {
      this.closing = setTimeout(() => this.close(), 120);
    });
    input.addEventListener("keydown", (e) => this.key(e));
    list.addEventListener("mousedown", (e) => {
      const li = e.target.closest("[role=option]");
      if (li) {
        e.preventDefault();
        this.choose(Number(li.dataset.index));
      }
    });
  }

  /** Replaces the projects: [{id, name, client}]. */
  setProjects(projects) {
    this.items = projects.map((p) => ({ ...p, hay: `${p.name} ${p.client ?? ""}`.toLowerCase() }));
    if (!this.list.hidden) this.open();
  }

  /** The chosen project, or null. */
  value() {
    return this.selected;
  }

  select(project) {
    this.selected = project;
    this.input.value = project ? label(project) : "";
    this.onChange(project);
  }

  filter(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const out = [];
    for (const item of this.items) {
      if (words.every((w) => item.hay.includes(w))) {
        out.push(item);
        if (out.length === LIMIT) break;
      }
    }
    return out;
  }

  open() {
    this.shown = this.filter(this.selected ? "" : this.input.value);
    this.active = this.shown.length ? 0 : -1;
    this.draw();
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  draw() {
    const frag = document.createDocumentFragment();
    this.shown.forEach((p, i) => {
      const li = document.createElement("li");
      li.id = `project-option-${i}`;
      li.setAttribute("role", "option");
      li.dataset.index = String(i);
      li.setAttribute("aria-selected", String(i === this.active));
      const name = document.createElement("span");
      name.textContent = p.name;
      li.append(name);
      if (p.client) {
        const client = document.createElement("span");
        client.className = "client";
        client.textContent = p.client;
        li.append(client);
      }
      frag.append(li);
    });
    if (!this.shown.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = this.items.length ? "No matching project" : "Loading projects…";
      frag.append(li);
    }
    this.list.replaceChildren(frag);
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `project-option-${this.active}`);
  }

  move(delta) {
    if (!this.shown.length) return;
    this.active = (this.active + delta + this.shown.length) % this.shown.length;
    this.draw();
    this.list.children[this.active]?.scrollIntoView({ block: "nearest" });
  }

  choose(i) {
    const p = this.shown[i];
    if (!p) return;
    this.select(p);
    this.close();
  }

  key(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (this.list.hidden) this.open();
      else this.move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter" && !this.list.hidden && this.active >= 0 && !this.selected) {
      e.preventDefault(); // Enter picks the highlighted project; the next Enter starts
      this.choose(this.active);
    } else if (e.key === "Escape" && !this.list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  }
}

export function label(p) {
  return p.client ? `${p.name} (${p.client})` : p.name;
}
