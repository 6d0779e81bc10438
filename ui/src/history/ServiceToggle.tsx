// The Service toggle: runs the local service (webhooks, schedules, the API)
// in the app over the workspace folder; off at start. While it runs, runs it
// starts land in the history, and History refreshes to show them.

import { useEffect, useState } from "react";
import { errorText, ipc } from "../ipc/commands";
import { useStore } from "../store";

export function ServiceToggle() {
  const service = useStore((s) => s.service);
  const { setService, say, bumpHistory } = useStore.getState();
  useEffect(() => {
    if (!service) return;
    // Runs started by callers appear in History as they come.
    const timer = setInterval(bumpHistory, 2000);
    return () => clearInterval(timer);
  }, [service, bumpHistory]);
  const toggle = async () => {
    try {
      if (service) {
        await ipc.serviceStop();
        setService(null);
        say("Service stopped");
      } else {
        const url = await ipc.serviceStart();
        setService(url);
        say(`Service listening on ${url}`);
      }
    } catch (e) {
      say(`Service: ${errorText(e)}`, true);
    }
  };
  return (
    <button
      name="service-toggle"
      className={service ? "service-on" : ""}
      onClick={toggle}
      title={
        service ? `Listening on ${service}: click to stop` : "Serve webhooks, schedules and the API"
      }
      data-service={service ?? ""}
    >
      {service ? "Service on" : "Service off"}
    </button>
  );
}

/** A webhook trigger's full address, its token included, with a copy button. */
export function WebhookAddress(props: { workflowId: string; path: string }) {
  const service = useStore((s) => s.service);
  const say = useStore((s) => s.say);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!service) return;
    let live = true;
    ipc.webhookAddress(props.workflowId, props.path).then(
      (u) => live && setUrl(u),
      () => live && setUrl(null),
    );
    return () => {
      live = false;
    };
  }, [props.workflowId, props.path, service]);
  if (!service)
    return <p className="help">Turn the Service on to call this webhook from outside.</p>;
  return (
    <div className="field webhook-address">
      <label>address (with its token)</label>
      <div className="copy-row">
        <input name="webhook-url" readOnly value={url ?? ""} />
        <button
          name="copy-webhook-url"
          onClick={() =>
            url &&
            navigator.clipboard.writeText(url).then(
              () => say("Address copied"),
              () => say("Cannot copy: select the address and copy it", true),
            )
          }
        >
          Copy
        </button>
      </div>
    </div>
  );
}

/** A schedule trigger's next fire times, from the engine (croner, in its time zone). */
export function NextFires(props: { cron: string; timezone: string | null }) {
  const [fires, setFires] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ipc.scheduleNextFires(props.cron, props.timezone).then(
      (f) => live && (setFires(f), setError(null)),
      (e) => live && (setFires(null), setError(errorText(e))),
    );
    return () => {
      live = false;
    };
  }, [props.cron, props.timezone]);
  return (
    <div className="field" data-testid="next-fires">
      <label>next fires (while the Service is on)</label>
      {error && <p className="help error-text">{error}</p>}
      <ul className="next-fires">
        {(fires ?? []).map((f) => (
          <li key={f}>{new Date(f).toLocaleString()}</li>
        ))}
      </ul>
    </div>
  );
}
