// `pulumi-lago <command>`: one module per subcommand under bin/commands/.
import { Command } from "commander";
import { localCommand } from "./commands/local";
import { previewCommand } from "./commands/preview";

export function buildProgram(): Command {
  const program = new Command("pulumi-lago")
    .description("Billing as code for Lago: a local Lago to develop and test against, and pricing tools for CI")
    .showHelpAfterError();
  program.addCommand(localCommand());
  program.addCommand(previewCommand());
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
