import type { ComponentChildren } from 'preact';

// Form pieces shared by every form: each field shows its own error and keeps what the reader typed.

export type FieldErrors = Record<string, string>;

export function ErrorSummary({ message, fields }: { message?: string; fields?: FieldErrors }) {
  if (!message) return null;
  const problems = Object.values(fields ?? {});
  return (
    <div class="notice error" role="alert">
      <p>{message}</p>
      {problems.length > 0 ? (
        <ul>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: ComponentChildren;
}

function Field({ name, label, errors, hint, children }: FieldProps & { children: ComponentChildren }) {
  const error = errors?.[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={`field-${name}`}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`hint-${name}`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`error-${name}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(name: string, errors: FieldErrors | undefined, hint: unknown): string | undefined {
  const ids = [hint ? `hint-${name}` : '', errors?.[name] ? `error-${name}` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField(
  props: FieldProps & {
    value?: string;
    type?: 'text' | 'email' | 'password' | 'number' | 'search';
    required?: boolean;
    autocomplete?: string;
    maxLength?: number;
    min?: number;
    inputMode?: 'numeric' | 'text';
    /** Suggests tags of this type (or `any`) as the reader types: see assets/tagAutocomplete.js. */
    tagAutocomplete?: string;
  },
) {
  const { name, errors, hint } = props;
  return (
    <Field {...props}>
      <input
        id={`field-${name}`}
        name={name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        min={props.min}
        inputMode={props.inputMode}
        data-tag-autocomplete={props.tagAutocomplete}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(name, errors, hint)}
      />
    </Field>
  );
}

export function TextArea(
  props: FieldProps & { value?: string; rows?: number; required?: boolean; maxLength?: number },
) {
  const { name, errors, hint } = props;
  return (
    <Field {...props}>
      <textarea
        id={`field-${name}`}
        name={name}
        rows={props.rows ?? 6}
        required={props.required}
        maxLength={props.maxLength}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(name, errors, hint)}
      >
        {props.value ?? ''}
      </textarea>
    </Field>
  );
}

export function SelectField(
  props: FieldProps & {
    value?: string;
    options: readonly (string | { value: string; label: string })[];
    required?: boolean;
  },
) {
  const { name, errors, hint } = props;
  return (
    <Field {...props}>
      <select
        id={`field-${name}`}
        name={name}
        required={props.required}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(name, errors, hint)}
      >
        {props.options.map((option) => {
          const { value, label } = typeof option === 'string' ? { value: option, label: option } : option;
          return (
            <option key={value} value={value} selected={value === props.value}>
              {label}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

/** A group of checkboxes (or radios) sharing one name, inside its own fieldset. */
export function Choices({
  name,
  legend,
  options,
  checked,
  errors,
  type = 'checkbox',
}: {
  name: string;
  legend: string;
  options: readonly string[];
  checked: readonly string[];
  errors?: FieldErrors;
  type?: 'checkbox' | 'radio';
}) {
  const error = errors?.[name];
  return (
    <fieldset class={error ? 'field has-error' : 'field'}>
      <legend>{legend}</legend>
      <div class="choices">
        {options.map((option) => (
          <label class="choice" key={option}>
            <input type={type} name={name} value={option} checked={checked.includes(option)} /> {option}
          </label>
        ))}
      </div>
      {error ? <p class="field-error">{error}</p> : null}
    </fieldset>
  );
}

export function Checkbox({
  name,
  label,
  checked,
  hint,
}: {
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
}) {
  return (
    <div class="field">
      <label class="choice">
        <input type="checkbox" name={name} value="on" checked={checked} /> {label}
      </label>
      {hint ? <p class="hint">{hint}</p> : null}
    </div>
  );
}
