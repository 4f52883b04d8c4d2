// Wallets and wallet transactions (Lago v1.51.0's api/v1/wallets_controller.rb with concerns/wallet_actions.rb,
// and api/v1/wallet_transactions_controller.rb). The rules live in ../domain/wallets.ts.
import type { ApiRequest, Room } from "../api";
import { createTransactions, createWallet, findWallet, newestCreatedFirst, settleWallets, permitWalletCreate, permitWalletTransaction, permitWalletUpdate, terminateWallet, updateWallet, walletTables } from "../domain/wallets";
import { notFound } from "../errors";
import { tables } from "../model";
import { listPage } from "../pagination";
import { serializeWallet, serializeWalletTransaction } from "../serializers/wallet";
import { DEFAULT_BILLING_ENTITY_CODE } from "./taxes";

const TRANSACTION_STATUSES = ["pending", "settled", "failed"];
const TRANSACTION_TYPES = ["inbound", "outbound"];
const TRANSACTION_KINDS = ["purchased", "granted", "voided", "invoiced"];

export const wallets: Room = (api, lago) => {
  const t = () => walletTables(lago);
  // Every wallet route first lets Lago's hourly expiry job catch up with the clock.
  const route = (handler: (req: ApiRequest) => unknown) => (req: ApiRequest) => {
    settleWallets(lago);
    return handler(req);
  };

  api.post("/wallets", route((req) => {
    const { wallet, afterCommit } = createWallet(lago, permitWalletCreate(req.body("wallet")));
    const answer = { wallet: serializeWallet(lago, wallet) };
    afterCommit(); // Lago's top-up job, which runs after the answer is made
    return answer;
  }));

  api.get("/wallets", route((req) => {
    // WalletsQuery: every wallet of the organization, terminated ones included, with optional filters.
    const entityCodes = req.queryArray("billing_entity_codes");
    if (entityCodes.length && [...new Set(entityCodes)].some((code) => code !== DEFAULT_BILLING_ENTITY_CODE)) throw notFound("billing_entity");
    const externalId = req.query("external_customer_id");
    const currency = req.query("currency");
    let rows = t().wallets.all();
    if (externalId !== undefined) {
      const customer = tables(lago.store).customers.find((c) => c.deleted_at === null && c.external_id === externalId);
      if (!customer) throw notFound("customer");
      rows = rows.filter((w) => w.customer_id === customer.id);
    }
    if (currency !== undefined) rows = rows.filter((w) => w.currency === currency);
    return listPage("wallets", rows.sort(newestCreatedFirst), req.queries, (w) => serializeWallet(lago, w));
  }));

  api.get("/wallets/:lago_id", route((req) => ({ wallet: serializeWallet(lago, findWallet(lago, req.params.lago_id)) })));

  api.put("/wallets/:lago_id", route((req) => {
    const params = permitWalletUpdate(req.body("wallet")); // read before the lookup: 400 wins over 404
    return { wallet: serializeWallet(lago, updateWallet(lago, findWallet(lago, req.params.lago_id), params)) };
  }));

  api.delete("/wallets/:lago_id", route((req) => ({ wallet: serializeWallet(lago, terminateWallet(lago, findWallet(lago, req.params.lago_id))) })));

  api.post("/wallet_transactions", route((req) => {
    const created = createTransactions(lago, permitWalletTransaction(req.body("wallet_transaction")));
    return { wallet_transactions: created.map((row) => serializeWalletTransaction(lago, row)) };
  }));

  api.get("/wallets/:lago_id/wallet_transactions", route((req) => {
    const wallet = findWallet(lago, req.params.lago_id);
    // WalletTransactionsQuery: a filter with a value outside its enum is ignored.
    const only = (name: string, values: string[], field: "status" | "transaction_type" | "transaction_status") => {
      const wanted = req.query(name);
      return wanted !== undefined && values.includes(wanted) ? (row: Record<typeof field, string>) => row[field] === wanted : () => true;
    };
    const byStatus = only("status", TRANSACTION_STATUSES, "status");
    const byType = only("transaction_type", TRANSACTION_TYPES, "transaction_type");
    const byKind = only("transaction_status", TRANSACTION_KINDS, "transaction_status");
    const metadata = Object.entries(req.queries).flatMap(([name, value]) => {
      const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
      return key && value.trim() !== "" ? [[key, value] as const] : [];
    });
    const rows = t()
      .transactions.filter((row) => row.wallet_id === wallet.id)
      .filter((row) => byStatus(row) && byType(row) && byKind(row))
      .filter((row) => metadata.every(([key, value]) => row.metadata.some((m) => typeof m === "object" && m !== null && (m as { key?: unknown }).key === key && String((m as { value?: unknown }).value) === value)))
      .sort(newestCreatedFirst);
    return listPage("wallet_transactions", rows, req.queries, (row) => serializeWalletTransaction(lago, row));
  }));
};
