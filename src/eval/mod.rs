//! Agreement with human graders: metrics (Pearson, Spearman, QWK, AUC) and calibration.
