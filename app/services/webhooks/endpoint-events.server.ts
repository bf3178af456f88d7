/** The audit chain of the webhook settings: admin's changes and the automatic disabling. */
export const webhookStream = "settings:webhooks";
