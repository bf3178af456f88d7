import type { AppLoadContext } from "@remix-run/node";
import { asc } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { operators, type Operator } from "../../db/schema";

export interface OperatorBranding {
  displayName: string;
  legalName: string;
}

const FALLBACK: OperatorBranding = { displayName: "Easy Exit", legalName: "Easy Exit" };

/** The operator whose portal this is (the first one configured). */
export async function loadPortalOperator(db: Queryable): Promise<Operator | undefined> {
  const [operator] = await db.select().from(operators).orderBy(asc(operators.createdAt)).limit(1);
  return operator;
}

export async function loadOperatorBranding(context: AppLoadContext): Promise<OperatorBranding> {
  const operator = await loadPortalOperator(context.db);
  return operator ? { displayName: operator.displayName, legalName: operator.legalName } : FALLBACK;
}

/** The operator, or a 503 page: the portal cannot take notices before an operator is set up. */
export async function requirePortalOperator(context: AppLoadContext): Promise<Operator> {
  const operator = await loadPortalOperator(context.db);
  if (!operator) throw new Response("No operator is configured yet", { status: 503 });
  return operator;
}
