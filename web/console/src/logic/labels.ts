// The API's labels, imported from the one place both sides read them (api/cases/labels.ts).
export {
  ACTION_LABELS,
  CHANNEL_LABELS,
  DISCLOSURE_GROUND_LABELS,
  DISCLOSURE_OUTCOME_LABELS,
  PROPER_CHANNEL_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
  URGENCY_LABELS,
} from '../../../../api/cases/labels.js';
