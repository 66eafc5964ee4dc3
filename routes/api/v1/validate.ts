/**
 * Reading API input: the JSON body (400 when it is not a JSON object) parsed by a schema from
 * domain/validation.ts, whose problems are a 422 listing every field in `fields`. Handlers name
 * each field they accept in their schema — nothing is copied wholesale from the body into a query.
 */
import type * as v from "valibot";
import { isPlainObject, parseInput } from "../../../domain/validation.ts";
import type { Ctx } from "../../state.ts";
import { ApiError } from "./errors.ts";

/** The request body as a JSON object, validated by `schema`; 400 when malformed, 422 when invalid. */
export async function readJson<S extends v.GenericSchema>(
  c: Ctx,
  schema: S,
): Promise<v.InferOutput<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON");
  }
  if (!isPlainObject(body)) {
    throw new ApiError(400, "invalid_request", "The body must be a JSON object");
  }
  return parseInput(schema, body);
}
