// Usage-event templates for Segment, Hightouch and Nexla (or the plain API), per billable metric.
export {
  eventRecord,
  hightouchBody,
  integrationTemplates,
  segmentFunction,
  segmentTrackToLagoEvent,
  templatesByMetric,
  type IntegrationTemplates,
  type LagoEventInput,
  type MetricForTemplates,
  type SegmentTrackEvent,
  type TemplateOptions,
} from "./templates";
