// Every Lago object the local Lago serves, one room each. Order matters only where paths overlap:
// sub-resource routes (e.g. /plans/:code/charges) are registered by their room before `/:code{.+}`.
import type { Room } from "../api";
import { billableMetrics } from "./billable-metrics";
import { planCharges } from "./charges";
import { plans } from "./plans";
import { taxes } from "./taxes";
import { addOns } from "./add-ons";
import { coupons } from "./coupons";
import { webhookEndpoints } from "./webhook-endpoints";
import { customers } from "./customers";
import { subscriptions } from "./subscriptions";
import { events } from "./events";
import { usage } from "./usage";
import { organizations } from "./organizations";
import { wallets } from "./wallets";

export const rooms: Room[] = [billableMetrics, taxes, addOns, coupons, webhookEndpoints, planCharges, plans, customers, subscriptions, events, usage, organizations, wallets];
