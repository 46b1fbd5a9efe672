import type { ComponentChildren } from 'preact';

/** A plain data table: a header row and body rows; cells are whatever the page renders. */
export function Table(props: {
  head: string[];
  rows: Array<{ key: string; cells: ComponentChildren[]; class?: string[] }>;
  testId?: string;
}) {
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          {props.head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            {r.cells.map((c, i) => (
              <td key={i} class={r.class?.[i]}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The show-code field of the filter bars: upper-cases as it is typed. */
export function ShowField(props: { value: string; onChange: (show: string) => void }) {
  return (
    <label>
      Show{' '}
      <input
        value={props.value}
        onInput={(e) => props.onChange((e.target as HTMLInputElement).value.toUpperCase())}
        size={8}
      />
    </label>
  );
}

/** A problem the page could not get past, read out to screen readers too. */
export function ErrorNote({ error }: { error: string | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}
