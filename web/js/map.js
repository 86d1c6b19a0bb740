// map.js: the Leaflet map — villages coloured by their commitments' status, operator coverage,
// gaps and stations — fetched for the visible area only (a bbox request per layer, debounced,
// the previous request aborted) so that a national store is never downloaded whole.
import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { el, fill } from './dom.js';
import { count as countText, percent, t } from './i18n.js';
import { api } from './api.js';

// The shared status palette (include/deadzone/emit/palette.hpp: QGIS styles, report.html and
// this page agree; tests/unit/emit/test_palette.cpp checks these values against it).
export const STATUS_COLORS = {
  covered: '#1a9641',
  covered_late: '#f5a623',
  pending: '#a0a0a0',
  overdue: '#d7191c',
  none: '#bdbdbd',
};
/** A commitment status as the legend and report.html say it ('covered late', 'đã phủ sóng' …). */
export const statusLabel = (s) => (s === 'none' || !(s in STATUS_COLORS) ? t('web.status.none') : t(`html.label.${s}`));
const SEVERITY = { covered: 0, covered_late: 1, pending: 2, overdue: 3 };

// Scale rules (docs/dashboard.md): below POINT_ZOOM villages are drawn as points (a 500 m
// village is under a pixel there); a store with more than FULL_VIEW_LIMIT villages loads
// layers only from MIN_ZOOM_LARGE up, where a view holds a few provinces at most.
const POINT_ZOOM = 10;
const FULL_VIEW_LIMIT = 5000;
const MIN_ZOOM_LARGE = 9;
const DEBOUNCE_MS = 250;

/** The centre of a geometry's bounding box: a cheap, stable point for a village. */
function centre(geometry) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]);
    } else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return L.latLng((minY + maxY) / 2, (minX + maxX) / 2);
}

export class DashboardMap {
  constructor(element, { onVillageClick, onStatus }) {
    this.onVillageClick = onVillageClick;
    this.onStatus = onStatus;
    this.operators = new Map();
    this.asOf = null;
    this.totalVillages = 0;
    this.villageCount = 0;
    this.villageCentres = new Map();
    this.renderer = L.canvas({ padding: 0.3, tolerance: 4 });
    this.map = L.map(element, { preferCanvas: true, zoomSnap: 0.5, minZoom: 4, maxZoom: 17 });
    // Vietnam (the campaign's country) fills the first view; a province token then zooms in.
    this.map.fitBounds([[8.4, 102.1], [23.4, 109.5]], { padding: [6, 6] });
    this.groups = {
      coverage: L.layerGroup(),
      gaps: L.layerGroup(),
      villages: L.layerGroup(),
      stations: L.layerGroup(),
    };
    this.groups.coverage.addTo(this.map);
    this.groups.villages.addTo(this.map);
    this.addLayerControl();
    L.control.scale({ imperial: false }).addTo(this.map);
    this.legend = L.control({ position: 'bottomright' });
    this.legend.onAdd = () => (this.legendNode = el('div', { class: 'legend', id: 'legend' }));
    this.legend.addTo(this.map);
    this.map.on('moveend', () => this.schedule());
    this.map.on('overlayadd', () => this.schedule(true));
    this.pending = null;
    this.controller = null;
    this.loadedKey = '';
  }

  /** The layer switcher, in the current language (replaced on a language switch). */
  addLayerControl() {
    this.layerControl?.remove();
    this.layerControl = L.control.layers(null, {
      [t('web.map.villages')]: this.groups.villages,
      [t('web.map.coverage')]: this.groups.coverage,
      [t('web.map.gaps')]: this.groups.gaps,
      [t('web.map.stations')]: this.groups.stations,
    }, { collapsed: false, position: 'topright' }).addTo(this.map);
  }

  /** After a language switch: the switcher, the legend and the counter; tooltips are built on hover. */
  relabel() {
    this.addLayerControl();
    this.drawLegend();
    if (this.countNote !== undefined) this.setCount(this.villageCount, this.countNote);
  }

  /** The country outline as a backdrop (Natural Earth, public domain; no tile server, works offline). */
  async addOutline(url) {
    try {
      const response = await fetch(url);
      if (!response.ok) return;
      const outline = L.geoJSON(await response.json(), {
        renderer: this.renderer, interactive: false,
        style: { color: '#8a8a8a', weight: 1, fillColor: '#fbfbf7', fillOpacity: 1 },
      });
      outline.addTo(this.map).bringToBack();
    } catch {
      /* the outline is decoration only */
    }
  }

  setCampaign(operators, totalVillages) {
    this.operators = new Map(operators.map((o) => [o.code, o]));
    this.totalVillages = totalVillages;
    if (!this.campaignSeen && totalVillages > FULL_VIEW_LIMIT) {
      // The coverage layer is one dissolved (multi)polygon per operator: a bbox request still
      // returns each operator's whole footprint (13 MB at 10 000 villages), so a large store
      // starts with it off; the reader can switch it on.
      this.groups.coverage.remove();
    }
    this.campaignSeen = true;
    this.drawLegend();
  }

  setDate(asOf) {
    this.asOf = asOf;
    this.schedule(true);
  }

  schedule(force = false) {
    if (force) this.loadedKey = '';
    clearTimeout(this.pending);
    // Marked at once, not when the request starts, so that a reader (or a test) waiting for
    // "loaded" never sees the old layers as the answer to the new view.
    this.map.getContainer().dataset.loading = 'true';
    this.pending = setTimeout(() => this.refresh(), DEBOUNCE_MS);
  }

  /** The view's bounds padded by a quarter, rounded outward to 0.01° so that requests repeat. */
  bbox() {
    const b = this.map.getBounds().pad(0.25);
    const down = (v) => Math.floor(v * 100) / 100;
    const up = (v) => Math.ceil(v * 100) / 100;
    return [Math.max(-180, down(b.getWest())), Math.max(-90, down(b.getSouth())),
      Math.min(180, up(b.getEast())), Math.min(90, up(b.getNorth()))];
  }

  async refresh() {
    if (!this.asOf) return;
    const zoom = this.map.getZoom();
    const tooWide = this.totalVillages > FULL_VIEW_LIMIT && zoom < MIN_ZOOM_LARGE;
    const bbox = this.bbox();
    const wanted = Object.keys(this.groups).filter((name) => this.map.hasLayer(this.groups[name]));
    const asPoints = zoom < POINT_ZOOM;
    const key = JSON.stringify([this.asOf, bbox, wanted, asPoints, tooWide]);
    if (key === this.loadedKey) {
      this.controller?.abort(); // a request for another view is no longer wanted
      this.map.getContainer().dataset.loading = 'false';
      return;
    }
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.map.getContainer().dataset.loading = 'true';
    if (tooWide) {
      Object.values(this.groups).forEach((g) => g.clearLayers());
      this.setCount(0, () => t('web.map.zoom_in', { count: countText(this.totalVillages) }));
      this.finish(controller, key);
      return;
    }
    const names = wanted.flatMap((name) => (name === 'villages' ? ['villages', 'commitments'] : [name]));
    try {
      const layers = await Promise.all(names.map((n) => api.layer(n, this.asOf, bbox, controller.signal)));
      const byName = Object.fromEntries(names.map((n, i) => [n, layers[i]]));
      for (const name of Object.keys(this.groups)) {
        if (!wanted.includes(name)) this.groups[name].clearLayers();
      }
      // Drawing order is stacking order on the shared canvas: gaps over the villages they are part of.
      if (byName.coverage) this.drawCoverage(byName.coverage);
      if (byName.villages) this.drawVillages(byName.villages, byName.commitments, asPoints);
      if (byName.gaps) this.drawGaps(byName.gaps);
      if (byName.stations) this.drawStations(byName.stations);
      this.finish(controller, key);
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.map.getContainer().dataset.loading = 'false';
      this.onStatus(error);
    }
  }

  finish(controller, key) {
    if (this.controller !== controller) return;
    this.loadedKey = key;
    this.map.getContainer().dataset.loading = 'false';
    this.map.getContainer().dataset.loadedAsOf = this.asOf;
  }

  operatorColor(code) {
    return this.operators.get(code)?.color || '#555555';
  }

  drawCoverage(collection) {
    const group = this.groups.coverage;
    group.clearLayers();
    L.geoJSON(collection, {
      renderer: this.renderer, interactive: false,
      style: (f) => ({ color: this.operatorColor(f.properties.operator), weight: 0.8,
        fillColor: this.operatorColor(f.properties.operator), fillOpacity: 0.18 }),
    }).addTo(group);
  }

  drawGaps(collection) {
    const group = this.groups.gaps;
    group.clearLayers();
    L.geoJSON(collection, {
      renderer: this.renderer, interactive: false,
      style: { color: '#7f0000', weight: 1, dashArray: '3 3', fillColor: '#d73027', fillOpacity: 0.35 },
    }).addTo(group);
  }

  drawStations(collection) {
    const group = this.groups.stations;
    group.clearLayers();
    L.geoJSON(collection, {
      pointToLayer: (f, latlng) => {
        const p = f.properties;
        const color = this.operatorColor(p.operator);
        return L.circleMarker(latlng, { renderer: this.renderer, radius: 3, weight: 0.6, color: '#222',
          fillColor: color, fillOpacity: p.in_service ? 0.95 : 0.25, opacity: p.in_service ? 0.8 : 0.3 });
      },
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindTooltip(() => el('span', {}, `${p.operator} ${p.site_id}${p.cell_id ? '/' + p.cell_id : ''} · ${p.tech} · ` +
          `${p.in_service ? t('web.panel.in_service') : t(`web.station.${p.status}`)}` +
          `${p.delay_reason ? t('web.map.station_delay', { reason: t(`reason.${p.delay_reason}`) }) : ''}`));
      },
    }).addTo(group);
  }

  /** Villages coloured by the worst status of their commitments (report.html's rule). */
  drawVillages(villages, commitments, asPoints) {
    const status = new Map();
    const cannot = new Set();
    for (const f of commitments.features) {
      const p = f.properties;
      const before = status.get(p.village_id);
      if (before === undefined || SEVERITY[p.status] > SEVERITY[before]) status.set(p.village_id, p.status);
      if (p.cannot_be_met) cannot.add(p.village_id);
    }
    const features = villages.features.slice().sort((a, b) =>
      (SEVERITY[status.get(a.properties.village_id)] ?? -1) - (SEVERITY[status.get(b.properties.village_id)] ?? -1));
    const group = this.groups.villages;
    group.clearLayers();
    this.villageCentres.clear();
    for (const f of features) {
      const p = f.properties;
      const s = status.get(p.village_id) || 'none';
      const style = { renderer: this.renderer, color: cannot.has(p.village_id) ? '#000' : '#fff',
        weight: cannot.has(p.village_id) ? 1.6 : 0.6, fillColor: STATUS_COLORS[s], fillOpacity: 0.9 };
      const middle = centre(f.geometry);
      this.villageCentres.set(p.village_id, middle);
      const shape = asPoints
        ? L.circleMarker(middle, { ...style, radius: 4 })
        : L.geoJSON(f, { style: () => ({ ...style, color: cannot.has(p.village_id) ? '#000' : '#444' }) });
      shape.bindTooltip(() => el('span', {}, `${p.name} (${p.village_id}) · ${p.province || ''} · ` +
        `${statusLabel(s)} · ${t('web.map.village_coverage', { percent: percent(p.coverage_any) })}`));
      shape.on('click', () => this.onVillageClick(p.village_id));
      shape.addTo(group);
    }
    this.setCount(features.length, null);
    if (this.fitPending && features.length) {
      this.fitPending = false; // a province token: start on the province, once
      this.fitVillages();
    }
  }

  /** `note`: a function giving the text instead of the count (kept to be said again in another language). */
  setCount(count, note) {
    this.villageCount = count;
    this.countNote = note;
    const node = document.getElementById('village-count');
    node.dataset.count = String(count);
    fill(node, note ? note() : t(count === 1 ? 'web.map.count.one' : 'web.map.count.other', { count: countText(count) }) +
      (this.totalVillages ? t('web.map.of', { total: countText(this.totalVillages),
        scope: this.scope ? t('web.scope', { scope: this.scope }) : '' }) : ''));
  }

  drawLegend() {
    if (!this.legendNode) return;
    const swatch = (color, stroke = '#fff') => el('span', { class: 'swatch', style: `background:${color};border-color:${stroke}` });
    fill(this.legendNode,
      el('strong', {}, t('web.legend.status')),
      Object.keys(STATUS_COLORS).map((s) => el('div', {}, swatch(STATUS_COLORS[s]), statusLabel(s))),
      el('div', {}, swatch('#ffffff', '#000'), t('web.legend.cannot')),
      el('strong', {}, t('web.legend.operators')),
      [...this.operators.values()].map((o) => el('div', {}, swatch(o.color || '#555'), `${o.code} — ${o.name}`)),
      el('div', {}, swatch('#d73027'), t('web.legend.gap')));
  }

  /** Container pixel of a village on the map (for keyboard users' "show on map" and the tests). */
  villagePoint(id) {
    const c = this.villageCentres.get(id);
    return c ? this.map.latLngToContainerPoint(c) : null;
  }

  fitVillages() {
    const points = [...this.villageCentres.values()];
    if (points.length) this.map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 11 });
  }
}
