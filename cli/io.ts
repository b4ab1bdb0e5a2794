/** The CLI's view of the outside world, injected so commands are testable in-process. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Styles {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

/** Colours only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function stylesFor(io: CliIO, stream: "stdout" | "stderr" = "stdout"): Styles {
  const tty = Boolean(io[stream].isTTY);
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  if (!tty || noColor || io.env.TERM === "dumb") {
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };
  }
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}
