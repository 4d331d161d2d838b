//! The bootstrap on aggregate data. (Being written.)
