# The workbench's examples (www/examples/*.csv): public datasets shipped with R, written
# as the aggregate rows a published table gives (identical rows counted). Run from this
# directory: Rscript generate.R   (R 4.2, survival). The files are committed; the page
# never needs R.
library(survival)

aggregate_rows <- function(d, keys) {
  d$count <- 1
  out <- aggregate(count ~ ., data = d[, c(keys, "count")], FUN = sum)
  out[do.call(order, out[keys]), c(keys, "count")]
}

write_example <- function(d, file, comment) {
  con <- file(file, "w")
  writeLines(paste0("# ", comment), con)
  write.csv(d, con, row.names = FALSE, quote = FALSE)
  close(con)
}

# aml: acute myelogenous leukaemia, weeks to relapse, maintenance chemotherapy or not
# (Embury et al. 1977); the same rows as tests/fixtures/survival.
aml <- survival::aml
aml <- data.frame(time = aml$time, status = aml$status, group = as.character(aml$x))
write_example(aggregate_rows(aml, c("group", "time", "status"))[, c("time", "status", "count", "group")],
  "aml.csv", "R survival::aml (Embury et al. 1977): weeks to relapse by maintenance chemotherapy; identical rows counted")

# lung: NCCTG advanced lung cancer, days to death by sex (status 2 = dead becomes 1).
lung <- survival::lung
lung <- data.frame(time = lung$time, status = lung$status - 1,
                   group = ifelse(lung$sex == 1, "male", "female"))
write_example(aggregate_rows(lung, c("group", "time", "status"))[, c("time", "status", "count", "group")],
  "lung.csv", "R survival::lung (Loprinzi et al. 1994): days to death by sex; identical rows counted")

# veteran: Veterans' Administration lung cancer trial, days to death by treatment,
# stratified by cell type.
vet <- survival::veteran
vet <- data.frame(time = vet$time, status = vet$status,
                  group = ifelse(vet$trt == 1, "standard", "test"),
                  strata = as.character(vet$celltype))
write_example(aggregate_rows(vet, c("group", "strata", "time", "status"))[, c("time", "status", "count", "group", "strata")],
  "veteran.csv", "R survival::veteran (Kalbfleisch and Prentice 1980): days to death by treatment, cell type as strata; identical rows counted")

# UCB admissions (Bickel et al. 1975): admitted of applicants by gender and department,
# a grouped logit.
ucb <- as.data.frame(UCBAdmissions)
admitted <- ucb[ucb$Admit == "Admitted", ]
rejected <- ucb[ucb$Admit == "Rejected", ]
stopifnot(all(admitted$Gender == rejected$Gender), all(admitted$Dept == rejected$Dept))
write_example(data.frame(successes = admitted$Freq, trials = admitted$Freq + rejected$Freq,
                         gender = admitted$Gender, dept = admitted$Dept),
  "ucb-admissions.csv", "R datasets::UCBAdmissions (Bickel et al. 1975): admitted (successes) of applicants (trials) by gender and department")

# A digitised Kaplan-Meier figure for the Guyot reconstruction: the aml curve read at
# every drop and its numbers at risk every 10 weeks, as tests/fixtures/guyot/aml.json.
fit <- survfit(Surv(time, status) ~ 1, data = survival::aml)
s <- summary(fit, censored = FALSE)
curve_t <- c(0, s$time, max(fit$time))
curve_s <- c(1, s$surv, tail(fit$surv, 1))
grid <- seq(0, max(fit$time), by = 10)
at_risk <- summary(fit, times = grid, extend = TRUE)$n.risk
keep <- at_risk > 0
n <- max(length(curve_t), sum(keep))
pad <- function(x) c(vapply(x, function(v) format(v, digits = 15), ""), rep("", n - length(x)))
write_example(data.frame(time = pad(curve_t), survival = pad(curve_s),
                         at_risk_time = pad(grid[keep]), at_risk = pad(at_risk[keep])),
  "aml-digitised.csv", "A digitised Kaplan-Meier figure of R survival::aml: the curve at every drop, numbers at risk every 10 weeks")
