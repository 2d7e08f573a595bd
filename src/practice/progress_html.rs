//! `hone progress --html`: the progress report as one self-contained page with inline SVG charts.
//!
//! No external assets (styles inline, charts as SVG computed here); every text from history or
//! banks goes through minijinja's HTML auto-escaping.

use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;

use super::progress::{GroupStats, Progress};

const TEMPLATE: &str = include_str!("progress.html.j2");

/// Width and height of the trend chart, in SVG user units.
const TREND_W: f64 = 640.0;
const TREND_H: f64 = 180.0;
const PAD: f64 = 28.0;

/// A score-over-attempts line chart, ready to draw.
#[derive(Debug, Serialize)]
struct TrendChart {
    width: f64,
    height: f64,
    /// `x,y` pairs for an SVG polyline.
    polyline: String,
    dots: Vec<Dot>,
    /// Horizontal grid lines at 0, 50, 100.
    grid: Vec<GridLine>,
}

#[derive(Debug, Serialize)]
struct Dot {
    x: f64,
    y: f64,
    score: f64,
}

#[derive(Debug, Serialize)]
struct GridLine {
    y: f64,
    label: u32,
}

/// One row of the best/latest bar chart.
#[derive(Debug, Serialize)]
struct Bar {
    title: String,
    best_width: f64,
    latest_width: f64,
    best: f64,
    latest: f64,
    y: f64,
}

fn y_of(score: f64) -> f64 {
    PAD + (1.0 - score.clamp(0.0, 100.0) / 100.0) * (TREND_H - 2.0 * PAD)
}

fn trend_chart(scores: &[f64]) -> TrendChart {
    let n = scores.len();
    let step = if n > 1 {
        (TREND_W - 2.0 * PAD) / (n - 1) as f64
    } else {
        0.0
    };
    let dots: Vec<Dot> = scores
        .iter()
        .enumerate()
        .map(|(i, &score)| Dot {
            x: round(
                PAD + i as f64 * step
                    + if n == 1 {
                        (TREND_W - 2.0 * PAD) / 2.0
                    } else {
                        0.0
                    },
            ),
            y: round(y_of(score)),
            score: score.round(),
        })
        .collect();
    TrendChart {
        width: TREND_W,
        height: TREND_H,
        polyline: dots
            .iter()
            .map(|d| format!("{},{}", d.x, d.y))
            .collect::<Vec<_>>()
            .join(" "),
        dots,
        grid: [0, 50, 100]
            .into_iter()
            .map(|label| GridLine {
                y: round(y_of(f64::from(label))),
                label,
            })
            .collect(),
    }
}

/// Bar width (SVG units) for the full 100 points.
const BAR_FULL: f64 = 340.0;
const BAR_ROW: f64 = 30.0;

fn bars(rows: &[GroupStats]) -> Vec<Bar> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| Bar {
            title: super::progress::truncate(&row.title, 30),
            best_width: round(row.best_score.clamp(0.0, 100.0) / 100.0 * BAR_FULL),
            latest_width: round(row.latest_score.clamp(0.0, 100.0) / 100.0 * BAR_FULL),
            best: row.best_score.round(),
            latest: row.latest_score.round(),
            y: i as f64 * BAR_ROW,
        })
        .collect()
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Renders the progress page.
pub fn render_html(progress: &Progress) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    // The `.html` name turns on HTML auto-escaping.
    env.add_template("progress.html", TEMPLATE)?;
    let section_bars = bars(&progress.sections);
    let bars_height = section_bars.len() as f64 * BAR_ROW;
    env.get_template("progress.html")?.render(context! {
        p => Value::from(Serde(progress)),
        trend => Value::from(Serde(trend_chart(&progress.overall.trend))),
        section_bars => Value::from(Serde(&section_bars)),
        bars_height => bars_height,
        bar_full => BAR_FULL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::history::tests::attempt;
    use crate::practice::progress::build;

    #[test]
    fn the_page_is_self_contained_and_escapes_history_text() {
        let mut a = attempt("pse/dsa/1", 40.0, 1_000);
        a.points[1].label = "<script>alert('x')</script>".into();
        let b = attempt("pse/dsa/1", 80.0, 2_000);
        let html = render_html(&build(Some("<ada>"), &[a, b], &[], 3_000)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script>alert"), "unescaped label");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&lt;ada&gt;"));
        assert!(html.contains("<svg"), "charts are inline SVG");
        assert!(html.contains("<polyline"));
        for external in ["src=\"http", "href=\"http", "@import", "url("] {
            assert!(!html.contains(external), "external asset: {external}");
        }
    }

    #[test]
    fn trend_points_span_the_chart_with_high_scores_on_top() {
        let chart = trend_chart(&[0.0, 100.0]);
        assert_eq!(chart.dots[0].x, PAD);
        assert_eq!(chart.dots[1].x, TREND_W - PAD);
        assert!(chart.dots[1].y < chart.dots[0].y);
    }
}
