/**
 * Renders a vega-lite spec to an SVG string with vega's headless view (renderer "none"), so the
 * report embeds its charts inline and opens offline, without a script or a network fetch.
 */
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
