// The contract check over everything an emulator recorded, for tests that end with
// `afterEach(() => expectContract(emulator))`: every request and answer, as Cloudflare publishes them.
import { expect } from 'vitest';
import type { Exchange } from '../emulator/index.ts';
import { type CheckOptions, checkExchange } from './openapi.ts';

/**
 * What of an answer an injected fault scripted. A status fault keeps the common failure envelope (unless
 * it fakes a success or redirect status); every other kind, and any kind added later, may garble the body.
 */
function scripted(exchange: Exchange): CheckOptions['scripted'] {
  switch (exchange.fault) {
    case undefined:
    case 'delay':
    case 'reset-after':
    case 'reset-before':
      return undefined;
    case 'status':
      return (exchange.answer?.status ?? 0) >= 400 ? 'status' : 'all';
    default:
      return 'all';
  }
}

export interface ContractReport {
  /** Each problem, prefixed with the exchange it is about. */
  problems: string[];
  /** The operations (operationId, or how an exchange outside the document was read) that were exercised. */
  operations: Set<string>;
}

export function contractReport(
  exchanges: readonly Exchange[],
  options: Pick<CheckOptions, 'request'> = {},
): ContractReport {
  const problems: string[] = [];
  const operations = new Set<string>();
  exchanges.forEach((exchange, index) => {
    const verdict = checkExchange(exchange, { ...options, scripted: scripted(exchange) });
    if (verdict.operation !== undefined) operations.add(verdict.operation);
    const where = `#${index} ${exchange.method} ${exchange.path} → ${exchange.answer?.status ?? 'no answer'}`;
    for (const problem of verdict.problems) problems.push(`${where}: ${problem}`);
  });
  return { problems, operations };
}

/** Fails the test with every problem when anything the emulator saw or said breaks the contract. */
export function expectContract(
  emulator: { requests: readonly Exchange[] },
  options: Pick<CheckOptions, 'request'> = {},
): void {
  expect(contractReport(emulator.requests, options).problems).toEqual([]);
}
