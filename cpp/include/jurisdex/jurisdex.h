// Umbrella header of the jurisdex core.
#pragma once

#include "jurisdex/analyzer.h"
#include "jurisdex/error.h"
#include "jurisdex/indexer.h"
#include "jurisdex/record.h"
#include "jurisdex/schema.h"
#include "jurisdex/searcher.h"
#include "jurisdex/suggest.h"
#include "jurisdex/vocabulary.h"
