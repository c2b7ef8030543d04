#ifndef HAUL_CLIBXML2_SHIM_H
#define HAUL_CLIBXML2_SHIM_H

/*
 * Debian's libxml2 is built with ICU, and libxml/encoding.h then includes <unicode/ucnv.h>.
 * The system ICU headers clash with the ICU inside Foundation ("'UErrorCode' has different
 * definitions in different modules"). Haul never uses libxml2's ICU converters, so keep ICU
 * out: pretend ucnv.h was already included and give the two names encoding.h needs.
 */
#define UCNV_H
typedef struct UConverter UConverter;
typedef unsigned short UChar;

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlstring.h>

/* libxslt, for the printable schedule (the stylesheet ships in schemas/). */
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/security.h>

#endif
