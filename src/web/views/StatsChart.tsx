import type { DailyActivity } from '../../services/writerStats.ts';
import { formatCount } from './WorkParts.tsx';

// Reader activity per day as an SVG drawn on the server: no script, readable in both themes (text in
// currentColor, series colours from CSS custom properties), with a <title> and <desc> for screen readers.

type SeriesName = Exclude<keyof DailyActivity, 'day'>;

const SERIES: { name: SeriesName; label: string; one: string; many: string }[] = [
  { name: 'hits', label: 'Hits', one: 'hit', many: 'hits' },
  { name: 'kudos', label: 'Kudos', one: 'kudos', many: 'kudos' },
  { name: 'comments', label: 'Comments', one: 'comment thread', many: 'comment threads' },
  { name: 'bookmarks', label: 'Bookmarks', one: 'bookmark', many: 'bookmarks' },
];

const WIDTH = 720;
const HEIGHT = 300;
const PLOT = { left: 52, right: WIDTH - 32, top: 16, bottom: 216 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A step of 1, 2 or 5 times a power of ten, so that four or so gridlines get round labels. */
function gridStep(max: number): number {
  const raw = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? raw;
  return Math.max(1, step);
}

function dayLabel(day: string, withYear: boolean): string {
  const [year, month, date] = day.split('-');
  const label = `${Number(date)} ${MONTHS[Number(month) - 1]}`;
  return withYear ? `${label} ${year}` : label;
}

export function StatsChart({ days, caption }: { days: DailyActivity[]; caption: string }) {
  const count = days.length;
  const max = Math.max(0, ...days.flatMap((day) => SERIES.map((series) => day[series.name])));
  const step = gridStep(max);
  const top = step * Math.max(1, Math.ceil(max / step));
  // Each day gets an equal slot and is drawn at its middle, so the first and last bars stay inside.
  const slot = (PLOT.right - PLOT.left) / Math.max(count, 1);
  const x = (index: number) => PLOT.left + (index + 0.5) * slot;
  const y = (value: number) => PLOT.bottom - (value * (PLOT.bottom - PLOT.top)) / top;
  const gridValues = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const labelled = [...new Set([0, 1, 2, 3, 4, 5].map((part) => Math.round((part * (count - 1)) / 5)))];
  const withYear = count > 31;
  const barWidth = Math.max(0.5, Math.min(16, slot * 0.7));
  // Hits are bars (one path, however many days); the rarer answers are lines over them.
  const bars = days
    .map((day, index) =>
      day.hits > 0
        ? `M${(x(index) - barWidth / 2).toFixed(1)} ${PLOT.bottom}V${y(day.hits).toFixed(1)}h${barWidth.toFixed(1)}V${PLOT.bottom}Z`
        : '',
    )
    .join('');
  const points = (name: SeriesName) =>
    days.map((day, index) => `${x(index).toFixed(1)},${y(day[name]).toFixed(1)}`).join(' ');
  const totals = SERIES.map((series) => {
    const total = days.reduce((sum, day) => sum + day[series.name], 0);
    return `${formatCount(total)} ${total === 1 ? series.one : series.many}`;
  });
  const first = days[0]?.day ?? '';
  const last = days[count - 1]?.day ?? '';
  return (
    <svg
      class="stats-chart"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby="stats-chart-title stats-chart-desc"
      font-size="12"
      fill="currentColor"
    >
      <title id="stats-chart-title">{caption}</title>
      <desc id="stats-chart-desc">
        {`Hits, kudos, comment threads and bookmarks on your posted works per day (UTC) from ${first} to ${last}: ${totals.join(', ')} in all.`}
      </desc>
      <g class="chart-grid">
        {gridValues.map((value) => (
          <g key={value}>
            <line x1={PLOT.left} x2={PLOT.right} y1={y(value)} y2={y(value)} stroke="currentColor" />
            <text x={PLOT.left - 6} y={y(value) + 4} text-anchor="end">
              {formatCount(value)}
            </text>
          </g>
        ))}
        {labelled.map((index) => (
          <text key={index} x={x(index)} y={PLOT.bottom + 18} text-anchor="middle">
            {days[index] ? dayLabel(days[index].day, withYear) : ''}
          </text>
        ))}
        <text x={(PLOT.left + PLOT.right) / 2} y={PLOT.bottom + 36} text-anchor="middle">
          Day (UTC)
        </text>
        <text transform={`translate(14 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`} text-anchor="middle">
          Per day
        </text>
      </g>
      <path class="series-hits" d={bars} stroke="none" />
      {SERIES.filter((series) => series.name !== 'hits').map((series) => (
        <polyline
          key={series.name}
          class={`series-${series.name}`}
          points={points(series.name)}
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linejoin="round"
        />
      ))}
      <g class="chart-legend">
        {SERIES.map((series, index) => {
          const left = PLOT.left + index * 150;
          const middle = HEIGHT - 26;
          return (
            <g key={series.name}>
              {series.name === 'hits' ? (
                <rect class="series-hits" x={left} y={middle - 6} width="18" height="12" />
              ) : (
                <line
                  class={`series-${series.name}`}
                  x1={left}
                  x2={left + 18}
                  y1={middle}
                  y2={middle}
                  stroke="currentColor"
                  stroke-width="2"
                />
              )}
              <text x={left + 24} y={middle + 4}>
                {series.label}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
