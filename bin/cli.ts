// `pulumi-lago <command>`: one module per subcommand under bin/commands/.
import { Command, CommanderError } from "commander";
import { compareCommand } from "./commands/compare";
import { exportCommand } from "./commands/export";
import { localCommand } from "./commands/local";
import { previewCommand } from "./commands/preview";

export function buildProgram(): Command {
  const program = new Command("pulumi-lago").description(
    "Billing as code for Lago: a local Lago to develop and test against, and pricing tools for CI",
  );
  program.addCommand(localCommand());
  program.addCommand(previewCommand());
  program.addCommand(exportCommand());
  program.addCommand(compareCommand());
  oneLineErrors(program);
  return program;
}

/**
 * Bad input (unknown command or flag, a missing or malformed value) is one line on stderr naming what is wrong and
 * where help is, then a non-zero exit: no usage dump, no stack trace. Applied to every subcommand.
 */
function oneLineErrors(command: Command): void {
  command
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`pulumi-lago: ${text.replace(/^error: /, "").trim()} (see \`${commandPath(command)} --help\`)\n`),
    });
  for (const sub of command.commands) oneLineErrors(sub);
}

const commandPath = (command: Command): string => (command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name());

/** Runs the CLI; resolves with the process exit code (help and version are 0, commander's refusals their own code). */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    // commander has already printed its one line (or the help that was asked for).
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`pulumi-lago: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
