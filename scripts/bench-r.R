# R references for `./build.sh bench` on the shared workloads (benches/data): survival's
# survfit for W1/W2, glm with average marginal effects for W3, boot() with a
# hand-written Kaplan-Meier statistic for W4/W5 (boot() around survfit() takes about
# 50 times as long). Prints `BENCH {json}` lines for scripts/bench-table.mjs.
#   Rscript scripts/bench-r.R benches/data
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "benches/data"
emit <- function(row, ms, runs, note = "") {
  cat(sprintf('BENCH {"table":"workloads","row":"%s","col":"R","value":%.6f,"unit":"ms","runs":%d,"note":"%s"}\n',
              row, ms, runs, note))
}
if (!requireNamespace("survival", quietly = TRUE) || !requireNamespace("boot", quietly = TRUE) ||
    !requireNamespace("jsonlite", quietly = TRUE)) {
  cat('BENCH {"table":"skipped","row":"R survival/boot","note":"R packages survival, boot or jsonlite not installed"}\n')
  quit(status = 0)
}
suppressPackageStartupMessages({ library(survival); library(boot) })
# Median over `runs` samples of the time of one call; a sample times `inner` calls, as
# R's clock counts milliseconds.
median_ms <- function(runs, f, inner = 1) {
  f()
  times <- vapply(seq_len(runs), function(i) {
    t <- proc.time()[["elapsed"]]
    for (k in seq_len(inner)) f()
    (proc.time()[["elapsed"]] - t) / inner
  }, 0)
  1000 * median(times)
}
surv <- jsonlite::fromJSON(file.path(dir, "surv450.json"))
logit <- as.data.frame(jsonlite::fromJSON(file.path(dir, "logit264.json")))
time <- surv$time; status <- surv$status; event <- as.integer(status != 0)

emit("W1", median_ms(21, function() summary(survfit(Surv(time, event) ~ 1, conf.type = "log-log")), 50), 21, "survfit, log-log")
state <- factor(status, 0:2, c("censor", "success", "other"))
emit("W2", median_ms(21, function() survfit(Surv(time, state) ~ 1), 5), 21, "survfit multi-state (Aalen-Johansen)")

w3 <- function() {
  fit <- glm(y ~ age + score + sex + armB + armC + stage2 + stage3 + stage4, family = binomial, data = logit)
  X <- model.matrix(fit); b <- coef(fit); V <- vcov(fit)
  p <- as.vector(plogis(X %*% b)); w <- p * (1 - p)
  # AME_j = mean(p(1-p)) b_j; gradient for the delta method.
  ame <- mean(w) * b[-1]
  g <- colMeans(w * (1 - 2 * p) * X)
  se <- vapply(seq_along(ame), function(j) {
    grad <- b[j + 1] * g; grad[j + 1] <- grad[j + 1] + mean(w)
    sqrt(drop(t(grad) %*% V %*% grad))
  }, 0)
  list(ame, se)
}
emit("W3", median_ms(21, w3, 10), 21, "glm + derivative AMEs, delta-method se")

km_at <- function(d, i) {
  t <- d$time[i]; e <- d$event[i]
  o <- order(t); t <- t[o]; e <- e[o]
  ut <- unique(t)
  dd <- tabulate(match(t[e == 1], ut), length(ut))
  nl <- tabulate(match(t, ut), length(ut))
  n <- length(t) - c(0, cumsum(nl)[-length(ut)])
  s <- cumprod(1 - dd / n)
  c(s[max(which(ut <= 365))], s[max(which(ut <= 730))])
}
d <- data.frame(time = time, event = event)
for (w in list(c("W4", 2000, 5), c("W5", 10000, 5))) {
  reps <- as.integer(w[2]); runs <- as.integer(w[3])
  ms <- median_ms(runs, function() {
    b <- boot(d, km_at, R = reps)
    boot.ci(b, type = "perc", index = 1); boot.ci(b, type = "perc", index = 2)
  })
  emit(w[1], ms, runs, "boot() + hand-written KM statistic, boot.ci perc")
}
