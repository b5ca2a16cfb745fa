// Tag suggestions while typing. Every `input[data-tag-autocomplete]` (the value is a tag type or `any`)
// holds comma-separated tags; as the reader types, the last of them is looked up and a list of tags
// the archive knows is offered below the field (arrow keys, Enter, Escape, or a click). Without this
// script the field is a plain text field and the form works the same.

const DELAY_MS = 150;
let fieldCount = 0;

/** The part being typed: everything after the last comma. */
function lastPart(value) {
  const comma = value.lastIndexOf(',');
  return { before: comma === -1 ? '' : value.slice(0, comma + 1), term: value.slice(comma + 1).trim() };
}

function enhance(input) {
  const id = `tag-suggestions-${++fieldCount}`;
  const list = document.createElement('ul');
  list.id = id;
  list.className = 'tag-suggestions';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  input.parentElement.classList.add('tag-autocomplete');
  input.after(list, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', id);
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('autocomplete', 'off');

  let active = -1;
  let timer;
  let pending;

  const options = () => [...list.querySelectorAll('[role="option"]')];

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function highlight(index) {
    const all = options();
    active = (index + all.length) % all.length;
    for (const [position, option] of all.entries()) {
      option.setAttribute('aria-selected', String(position === active));
    }
    input.setAttribute('aria-activedescendant', all[active].id);
    all[active].scrollIntoView({ block: 'nearest' });
  }

  function choose(name) {
    const { before } = lastPart(input.value);
    input.value = before ? `${before} ${name}` : name;
    close();
    input.focus();
  }

  function show(tags) {
    list.replaceChildren();
    active = -1;
    tags.forEach((tag, index) => {
      const option = document.createElement('li');
      option.id = `${id}-${index}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.textContent = tag.name;
      if (!tag.canonical) option.classList.add('unwrangled');
      // mousedown, not click: the field would lose focus (and close the list) before a click lands.
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(tag.name);
      });
      list.append(option);
    });
    list.hidden = tags.length === 0;
    input.setAttribute('aria-expanded', String(tags.length > 0));
    status.textContent =
      tags.length === 0
        ? ''
        : `${tags.length} suggestion${tags.length === 1 ? '' : 's'}; use the arrow keys to choose.`;
  }

  async function suggest() {
    const { term } = lastPart(input.value);
    pending?.abort();
    if (term === '') return close();
    pending = new AbortController();
    const query = new URLSearchParams({ term, type: input.dataset.tagAutocomplete || 'any' });
    try {
      const response = await fetch(`/api/v1/tags/autocomplete?${query}`, {
        headers: { accept: 'application/json' },
        signal: pending.signal,
      });
      if (!response.ok) return close();
      const answer = await response.json();
      if (document.activeElement === input) show(answer.tags ?? []);
    } catch {
      // Aborted by newer typing, or offline: the field stays a plain text field.
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(active + (event.key === 'ArrowDown' ? 1 : active === -1 ? 0 : -1));
    } else if (event.key === 'Enter' && active >= 0) {
      // Enter picks the suggestion instead of sending the form.
      event.preventDefault();
      choose(options()[active].textContent);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
}

for (const input of document.querySelectorAll('input[data-tag-autocomplete]')) enhance(input);
