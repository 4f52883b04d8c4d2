// pulumi-lago: Lago objects as Pulumi resources.
export { BillableMetric, type BillableMetricArgs, type BillableMetricFilterArgs } from "./resources/billable-metric";
export { Customer, type CustomerArgs, type CustomerAddressArgs, type CustomerMetadataArgs } from "./resources/customer";
