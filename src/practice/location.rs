//! Where the history database lives: `--db`/`HONE_DB`, else `$HONE_HOME/history.sqlite3`, else
//! the user's data directory (`~/.local/share/hone/` on Linux).

use std::path::{Path, PathBuf};

use super::history::DB_FILE_NAME;

/// The database path: an explicit one (flag or `HONE_DB`) wins, then `hone_home`, then `data_dir`.
///
/// `None` when none is given and the platform has no data directory.
pub fn database_path(
    explicit: Option<&Path>,
    hone_home: Option<&Path>,
    data_dir: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let Some(home) = hone_home {
        return Some(home.join(DB_FILE_NAME));
    }
    data_dir.map(|dir| dir.join("hone").join(DB_FILE_NAME))
}

/// The platform's data directory for hone's default database.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_home_beats_data_dir() {
        let db = Path::new("/x/my.db");
        let home = Path::new("/h");
        let data = Path::new("/d");
        assert_eq!(database_path(Some(db), Some(home), Some(data)).unwrap(), db);
        assert_eq!(
            database_path(None, Some(home), Some(data)).unwrap(),
            home.join(DB_FILE_NAME)
        );
        assert_eq!(
            database_path(None, None, Some(data)).unwrap(),
            data.join("hone").join(DB_FILE_NAME)
        );
        assert_eq!(database_path(None, None, None), None);
    }
}
