//! The settings every command runs with, resolved once: flags < environment < config file <
//! defaults (a flag wins over everything, the default only when nothing else says).
//!
//! `run_command` builds one [`Settings`] from the global flags (`--config`, the catalog flags
//! given before the subcommand), the subcommand's own catalog and LLM flags, the environment
//! (`HONE_BANK_FILES`, `HONE_RUBRICS`, `HONE_CALIBRATION`, `HONE_CONFIG`, `OPENAI_*`,
//! `HONE_LLM_MODEL`) and the config file, and hands it to the command. No command reads the
//! config file or those variables itself. `--dump-config` prints the result (no secrets: API
//! keys are only ever named, and credentials in a base URL are redacted).

use std::path::PathBuf;

use serde::Serialize;

use super::{BankArgs, BeforeArgs, CalibrationArgs, RubricsArgs};
use crate::bank::Catalog;
use crate::config::{Config, GradeConfig, LlmConfig};
use crate::grade::{Calibration, Grader};
use crate::llm::cli::LlmArgs;
use crate::rubric::store::RubricStore;

/// What one subcommand takes of the layered options (each `None` when it has no such flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandFlags<'a> {
    /// `--bank-file`.
    pub banks: Option<&'a BankArgs>,
    /// `--rubrics`.
    pub rubrics: Option<&'a RubricsArgs>,
    /// `--calibration`; a command without it scores with the config file's `calibration`.
    pub calibration: Option<&'a CalibrationArgs>,
    /// The LLM judge flags.
    pub llm: Option<&'a LlmArgs>,
    /// `--jobs` of a command that has one: also the LLM requests in flight at once.
    pub jobs: Option<usize>,
    /// The command fits a calibration (`hone calibrate`): it never loads the user's one.
    pub fits_calibration: bool,
}

/// The resolved settings of one run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Settings {
    /// The config file read, if any (`--config`, else `HONE_CONFIG`, else the user's file).
    pub config_file: Option<PathBuf>,
    /// Extra question banks (`--bank-file`s, else `HONE_BANK_FILES`).
    pub bank_files: Vec<PathBuf>,
    /// Rubric overrides (`--rubrics`, else `HONE_RUBRICS`).
    pub rubrics_dir: Option<PathBuf>,
    /// The calibration file to score with (`--calibration`, else `HONE_CALIBRATION`, else the
    /// config file's `calibration` key); `None` scores with the shipped calibrations.
    pub calibration: Option<PathBuf>,
    /// `hone grade` settings.
    pub grade: GradeConfig,
    /// The LLM judge: config file, then environment, then this command's flags.
    pub llm: LlmConfig,
}

impl Settings {
    /// Resolves the settings of a command from its flags, the environment read through `env`
    /// and the config file.
    pub fn resolve(
        config_flag: Option<&std::path::Path>,
        before: &BeforeArgs,
        flags: CommandFlags<'_>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Settings> {
        let var = |name: &str| env(name).filter(|v| !v.is_empty());
        let (config, config_file) = Config::load_with_path(config_flag, env)?;

        let mut bank_files = before.bank_files.clone();
        if let Some(bank) = flags.banks {
            bank_files.extend(bank.bank_files.iter().cloned());
        }
        if bank_files.is_empty() && flags.banks.is_some() {
            if let Some(list) = var("HONE_BANK_FILES") {
                bank_files = list
                    .split(',')
                    .filter(|f| !f.trim().is_empty())
                    .map(PathBuf::from)
                    .collect();
            }
        }
        let rubrics_dir = flags.rubrics.and_then(|rubrics| {
            rubrics
                .rubrics_dir
                .clone()
                .or_else(|| before.rubrics_dir.clone())
                .or_else(|| var("HONE_RUBRICS").map(PathBuf::from))
        });
        let calibration = if flags.fits_calibration {
            None
        } else {
            let flag_or_env = flags.calibration.and_then(|c| {
                c.calibration
                    .clone()
                    .or_else(|| before.calibration.clone())
                    .or_else(|| var("HONE_CALIBRATION").map(PathBuf::from))
            });
            flag_or_env.or(config.calibration.clone())
        };
        let mut llm = config.llm;
        if let Some(args) = flags.llm {
            args.apply(&mut llm);
            if let Some(jobs) = flags.jobs {
                llm.jobs = jobs;
            }
        }
        Ok(Settings {
            config_file,
            bank_files,
            rubrics_dir,
            calibration,
            grade: config.grade,
            llm,
        })
    }

    /// The calibration to score every rubric with, read from [`Settings::calibration`], or
    /// `None` for the shipped ones.
    pub fn load_calibration(&self) -> anyhow::Result<Option<Calibration>> {
        self.calibration
            .as_deref()
            .map(Calibration::from_toml_file)
            .transpose()
            .map_err(Into::into)
    }

    /// The rubric store these settings ask for: files under `--rubrics DIR` (or `HONE_RUBRICS`)
    /// win over the embedded rubrics.
    pub fn rubric_store(&self) -> RubricStore {
        match &self.rubrics_dir {
            Some(dir) => RubricStore::with_overrides(dir),
            None => RubricStore::bundled(),
        }
    }

    /// The grader every command scores with: the calibration in force, term weights across the
    /// rubrics of every question in `catalog` (as `--rubrics` resolves them) for bank questions,
    /// uniform weights for ad-hoc references.
    pub fn grader_for(&self, catalog: &Catalog) -> anyhow::Result<Grader> {
        let precomputed = crate::grade::term_weights::bundled_frequencies().documents;
        let grader = if self.bank_files.is_empty()
            && self.rubrics_dir.is_none()
            && precomputed == catalog.questions().len()
        {
            // The bundled catalog and rubrics: their weights are precomputed.
            Grader::bundled(catalog.questions())
        } else {
            Grader::over(&self.rubric_store().all_rubrics(catalog.questions()))
        };
        Ok(match self.load_calibration()? {
            Some(calibration) => grader.with_calibration(calibration),
            None => grader,
        })
    }

    /// [`Settings::grader_for`] the catalog these settings ask for.
    pub fn grader(&self) -> anyhow::Result<Grader> {
        self.grader_for(&Catalog::load(&self.bank_files)?)
    }

    /// The resolved settings as TOML, for `--dump-config`: config-file keys as the file takes
    /// them, the run's other settings as comments above. No secret is shown: the API key is
    /// only named (`llm.api_key_env`) and credentials in `llm.base_url` are redacted.
    pub fn dump(&self) -> String {
        let path = |p: &Option<PathBuf>| {
            p.as_ref()
                .map_or("none".to_string(), |p| p.display().to_string())
        };
        let banks = if self.bank_files.is_empty() {
            "none".to_string()
        } else {
            self.bank_files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut llm = self.llm.clone();
        llm.base_url = crate::llm::request::redacted_url(&llm.base_url);
        let file = Config {
            calibration: self.calibration.clone(),
            grade: self.grade.clone(),
            llm,
        };
        let body = toml::to_string(&file).unwrap_or_else(|e| format!("# cannot show: {e}\n"));
        format!(
            "# hone settings, resolved: flags < environment < config file < defaults\n\
             # config file: {}\n\
             # bank files: {banks}\n\
             # rubrics: {}\n\
             {body}",
            path(&self.config_file),
            path(&self.rubrics_dir),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn flag_beats_env_beats_file_for_the_calibration() {
        let (_dir, path) = config_file("calibration = \"from-file.toml\"\n");
        let none = |_: &str| None;
        let env = |k: &str| (k == "HONE_CALIBRATION").then(|| "from-env.toml".to_string());
        let flag = CalibrationArgs {
            calibration: Some("from-flag.toml".into()),
        };
        let takes = CalibrationArgs::default();
        let resolve = |cal: &CalibrationArgs, env: &dyn Fn(&str) -> Option<String>| {
            let flags = CommandFlags {
                calibration: Some(cal),
                ..CommandFlags::default()
            };
            Settings::resolve(Some(&path), &BeforeArgs::default(), flags, env)
                .unwrap()
                .calibration
                .unwrap()
        };
        assert_eq!(resolve(&takes, &none), PathBuf::from("from-file.toml"));
        assert_eq!(resolve(&takes, &env), PathBuf::from("from-env.toml"));
        assert_eq!(resolve(&flag, &env), PathBuf::from("from-flag.toml"));
    }

    #[test]
    fn fitting_a_calibration_never_takes_the_users_one() {
        let (_dir, path) = config_file("calibration = \"/nope/broken.toml\"\n");
        let env = |k: &str| (k == "HONE_CALIBRATION").then(|| "/nope/env.toml".to_string());
        let flags = CommandFlags {
            fits_calibration: true,
            ..CommandFlags::default()
        };
        let settings = Settings::resolve(Some(&path), &BeforeArgs::default(), flags, &env).unwrap();
        assert_eq!(settings.calibration, None);
        assert!(settings.load_calibration().unwrap().is_none());
    }

    #[test]
    fn llm_flags_go_over_the_file_and_env() {
        let (_dir, path) = config_file("[llm]\nmodel = \"file\"\nrpm = 5\njobs = 2\n");
        let env = |k: &str| (k == "HONE_LLM_MODEL").then(|| "env".to_string());
        let none = LlmArgs::default();
        let flags = |llm| CommandFlags {
            llm: Some(llm),
            ..CommandFlags::default()
        };
        let before = BeforeArgs::default();
        let settings = Settings::resolve(Some(&path), &before, flags(&none), &env).unwrap();
        assert_eq!(
            (settings.llm.model.as_str(), settings.llm.rpm),
            ("env", Some(5))
        );
        let model = LlmArgs {
            model: Some("flag".into()),
            ..LlmArgs::default()
        };
        let settings = Settings::resolve(Some(&path), &before, flags(&model), &env).unwrap();
        assert_eq!(settings.llm.model, "flag");
        assert_eq!(settings.config_file.as_deref(), Some(path.as_path()));
    }

    #[test]
    fn the_dump_shows_no_credentials() {
        let settings = Settings {
            llm: LlmConfig {
                base_url: "https://user:s3cret@example.com/v1".into(),
                ..LlmConfig::default()
            },
            ..Settings::default()
        };
        let dump = settings.dump();
        assert!(!dump.contains("s3cret"), "{dump}");
        assert!(dump.contains("api_key_env = \"OPENAI_API_KEY\""), "{dump}");
        let parsed: Config = toml::from_str(&dump).expect("the dump is a valid config file");
        assert_eq!(parsed.llm.model, LlmConfig::default().model);
    }
}
