/** The element with `id`, checked to be of the expected kind: a typo fails at start-up, not later. */
export function byId<Kind extends HTMLElement>(id: string, kind: { new (): Kind; prototype: Kind }): Kind {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The demo page has no ${kind.name} #${id}`);
  return element;
}

/** The trimmed value of a named field of `form`. */
export function fieldValue(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name);
  if (!(field instanceof HTMLInputElement)) throw new Error(`The form #${form.id} has no input "${name}"`);
  return field.value.trim();
}

/** Puts the caret in `input` with its text selected, so a wrong code is typed over at once. */
export function focusAndSelect(input: HTMLInputElement): void {
  input.focus();
  input.select();
}

/**
 * Runs `action` when `form` is submitted, with its submit button disabled meanwhile so a
 * double click sends one request. Errors go to `onError`.
 */
export function onSubmit(form: HTMLFormElement, action: () => Promise<void>, onError: (error: unknown) => void): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit?.disabled) return;
    if (submit) submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    action()
      .catch(onError)
      .finally(() => {
        if (submit) submit.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
}

/** Runs `action` on a click, with the button disabled meanwhile (unless `action` keeps it so). */
export function onClick(
  button: HTMLButtonElement,
  action: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  button.addEventListener('click', () => {
    if (button.disabled) return;
    button.disabled = true;
    action()
      .catch(onError)
      .finally(() => {
        if (button.dataset.countdown !== 'running') button.disabled = false;
      });
  });
}

/** Radio buttons named `name` in `container`, one per choice, the `selected` one checked. */
export function renderChoices<Value extends string>(
  container: HTMLElement,
  name: string,
  choices: { value: Value; label: string }[],
  selected: Value,
  onChange: (value: Value) => void,
): void {
  container.replaceChildren(
    ...choices.map(({ value, label }) => {
      const id = `${name}-${value}`;
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = name;
      input.id = id;
      input.value = value;
      input.checked = value === selected;
      input.addEventListener('change', () => onChange(value));
      const wrapper = document.createElement('label');
      wrapper.htmlFor = id;
      wrapper.append(input, ` ${label}`);
      return wrapper;
    }),
  );
}
