/** An agent's own signature (put under their replies in the composer). */
import { updateAgentSignature } from "../db/composer.ts";
import { fieldProblems } from "../domain/validation.ts";
import type { OpContext } from "./context.ts";

export const MAX_SIGNATURE = 2000;

/** Sets the acting agent's signature; blank clears it. */
export async function setOwnSignature(
  ctx: OpContext,
  input: { signature: string },
): Promise<void> {
  if (ctx.actor.kind !== "agent") throw new Error("setOwnSignature: only an agent has one");
  const signature = input.signature.replace(/\r\n?/g, "\n").replace(/\s+$/, "")
    .replace(/^\n+/, "");
  if (signature.length > MAX_SIGNATURE) {
    throw fieldProblems("The signature is too long", {
      signature: {
        key: "profile.signatureTooLong",
        vars: { max: MAX_SIGNATURE },
        en: `must be at most ${MAX_SIGNATURE} characters`,
      },
    });
  }
  await updateAgentSignature(ctx.tx, ctx.actor.id, signature === "" ? null : signature);
}
